import type { Express } from 'express';

// The routes an Express 5 app really serves, read from its router stack, so the security suites
// can prove that their endpoint catalogue leaves no route out.

export interface RouteEntry {
  method: string;
  path: string;
}

interface Layer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
  rawPath?: string | string[];
  slash?: boolean;
}

function walk(stack: Layer[], prefix: string, out: RouteEntry[]): void {
  for (const layer of stack) {
    if (layer.route) {
      const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
      for (const p of paths) {
        for (const [m, on] of Object.entries(layer.route.methods))
          if (on && m !== '_all') out.push({ method: m.toUpperCase(), path: join(prefix, p) });
      }
    } else if (layer.handle?.stack) {
      const mount = layer.slash || layer.rawPath === undefined ? '' : String(layer.rawPath);
      walk(layer.handle.stack, join(prefix, mount), out);
    }
  }
}

const join = (a: string, b: string) => (a + (b === '/' ? '' : b)).replace(/\/+/g, '/') || '/';

export function listRoutes(app: Express): RouteEntry[] {
  const router = (app as unknown as { router: { stack: Layer[] } }).router;
  const out: RouteEntry[] = [];
  walk(router.stack, '', out);
  return out;
}

export const routeKey = (r: RouteEntry) => `${r.method} ${r.path}`;
