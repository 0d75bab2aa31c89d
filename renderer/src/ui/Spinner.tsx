export function Spinner({ size = 16, label }: { size?: number; label?: string }) {
  return (
    <svg
      className="spinner"
      width={size}
      height={size}
      viewBox="0 0 16 16"
      role={label ? 'img' : undefined}
      aria-label={label}
      aria-hidden={label ? undefined : true}
    >
      <circle cx="8" cy="8" r="6.5" fill="none" strokeWidth="2" className="spinner__track" />
      <path d="M8 1.5a6.5 6.5 0 0 1 6.5 6.5" fill="none" strokeWidth="2" strokeLinecap="round" className="spinner__arc" />
    </svg>
  );
}
