import { scrypt as nodeScrypt } from 'node:crypto';
import { scrypt as ethersScrypt } from 'ethers';

let registered = false;

/**
 * Routes ethers' keystore scrypt to Node's native implementation. The pure-JS one takes
 * seconds at the standard N = 2^17 and blocks the event loop; the native one runs on the
 * libuv pool. Same function, same output, so keystores stay standard.
 */
export function useNativeScrypt(): void {
  if (registered) return;
  registered = true;
  ethersScrypt.register(
    (password, salt, N, r, p, dkLen) =>
      new Promise<Uint8Array>((resolve, reject) => {
        // maxmem must exceed 128·N·r bytes or Node refuses the parameters.
        nodeScrypt(password, salt, dkLen, { N, r, p, maxmem: 256 * N * r + 1024 * 1024 }, (error, key) => {
          if (error) reject(error);
          else resolve(new Uint8Array(key));
        });
      }),
  );
}
