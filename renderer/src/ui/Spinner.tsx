/**
 * A spinning ring. Without a label it is decoration (the text beside it, e.g. "Loading jobs…",
 * says what is happening). With one it is a polite status: the label is text inside the live
 * region, so screen readers announce it, where a name on the bare ring is not announced.
 */
export function Spinner({ size = 16, label }: { size?: number; label?: string }) {
  const ring = (
    <svg className="spinner" width={size} height={size} viewBox="0 0 16 16" aria-hidden="true">
      <circle cx="8" cy="8" r="6.5" fill="none" strokeWidth="2" className="spinner__track" />
      <path d="M8 1.5a6.5 6.5 0 0 1 6.5 6.5" fill="none" strokeWidth="2" strokeLinecap="round" className="spinner__arc" />
    </svg>
  );
  if (!label) return ring;
  return (
    <span className="spinner-status" role="status">
      {ring}
      <span className="visually-hidden">{label}</span>
    </span>
  );
}
