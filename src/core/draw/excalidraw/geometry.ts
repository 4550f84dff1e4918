// Points and paths: plain plane geometry, nothing Excalidraw- or dagre-specific.

export interface Point {
  x: number;
  y: number;
}

/** Insert points on the longer half so that `at` (a point of `path`) is the middle one. */
export function centreOn(path: Point[], at: Point): Point[] {
  let best = 0;
  for (let i = 1; i < path.length; i++) if (dist(path[i], at) < dist(path[best], at)) best = i;
  if (best === 0 || best === path.length - 1) return path;
  let before = path.slice(0, best + 1);
  let after = path.slice(best);
  while (before.length < after.length) before = subdivideLongest(before);
  while (after.length < before.length) after = subdivideLongest(after);
  return [...before, ...after.slice(1)];
}

function subdivideLongest(points: Point[]): Point[] {
  let longest = 0;
  for (let i = 1; i < points.length - 1; i++) if (dist(points[i], points[i + 1]) > dist(points[longest], points[longest + 1])) longest = i;
  const mid = { x: (points[longest].x + points[longest + 1].x) / 2, y: (points[longest].y + points[longest + 1].y) / 2 };
  return [...points.slice(0, longest + 1), mid, ...points.slice(longest + 1)];
}

/** Where Excalidraw draws an arrow's label: its middle point, or the middle of its middle segment. */
export function midpoint(points: Point[]): Point {
  if (points.length % 2 === 1) return points[(points.length - 1) / 2];
  const a = points[points.length / 2 - 1];
  const b = points[points.length / 2];
  return { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
}

function dist(a: Point, b: Point): number {
  return Math.hypot(a.x - b.x, a.y - b.y);
}

/** To hundredths, and never -0: the file stays short and the same on every machine. */
export function round(n: number): number {
  return Math.round(n * 100) / 100 || 0;
}
