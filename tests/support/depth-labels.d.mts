export interface Labelled { name: string; file: string; question: string; covered: Set<string>; notCovered: Set<string> }
export interface Stats { tp: number; fp: number; fn: number; tn: number; precision: number; recall: number }
export interface DepthScore { total: Stats; families: Record<string, Stats>; points: Record<string, Stats>; details: string[] }
export const ROOT: string;
export const LABELS: string;
export function labelledSessions(dir?: string): Labelled[];
export function scoreDepth(results: (Labelled & { found: Set<string> })[]): DepthScore;
export function formatDepthScore(score: DepthScore, opts?: { points?: boolean }): string;
