// common/ runs in Node and in the browser; it may use only globals both provide. They are
// declared here because common/ is checked without the DOM or Node type libraries.
declare function structuredClone<T>(value: T): T;
declare function queueMicrotask(callback: () => void): void;
