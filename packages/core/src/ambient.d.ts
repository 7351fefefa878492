// Core compiles with `types: []` and `lib: ["ES2022"]`, so it cannot reach Node's or the DOM's
// globals by accident. These are the few host APIs it is allowed to touch: the shapes every
// modern runtime (Node, Deno, Bun, browsers, workers) provides. This file is not emitted; the
// public .d.ts refers to the host's own `AbortSignal`.

interface AbortSignal {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
  throwIfAborted(): void;
}

interface AbortController {
  readonly signal: AbortSignal;
  abort(reason?: unknown): void;
}

declare var AbortController: {
  prototype: AbortController;
  new (): AbortController;
};

declare function setTimeout(callback: () => void, ms?: number): unknown;
declare function clearTimeout(handle: unknown): void;
declare function queueMicrotask(callback: () => void): void;
