import { readStatic } from '../daemon/static-files.ts';
import { APP_HOST, CONTENT_SECURITY_POLICY } from './security.ts';

/**
 * Answers app://hearth/... from the built renderer folder. readStatic refuses paths
 * that escape the folder; anything not for our host is refused outright.
 */
export async function serveAppRequest(rendererDir: string, rawUrl: string): Promise<Response> {
  const url = new URL(rawUrl);
  if (url.host !== APP_HOST) return new Response('Not found', { status: 404 });
  const file = await readStatic(rendererDir, url.pathname);
  if (file.status !== 200) return new Response(file.status === 404 ? 'Not found' : 'Bad request', { status: file.status });
  return new Response(new Uint8Array(file.body), {
    status: 200,
    headers: {
      'content-type': file.type,
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
    },
  });
}
