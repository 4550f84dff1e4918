export interface CorpusCase { name: string; file: string; expect: { must?: { rule: string; subject: string }[]; mustNot?: { rule: string; subject: string; why?: string }[] } }
export interface RuleScore { rule: string; tp: number; fp: number; fn: number; precision: number; recall: number }
export interface CorpusScore { rules: RuleScore[]; total: Omit<RuleScore, 'rule'>; details: { case: string; kind: string; rule: string; subject: string; line?: number }[] }
export const CORPUS: URL;
export const HOLDOUT: URL;
export function corpusCases(corpus?: URL): CorpusCase[];
export function scoreCorpus(results: (CorpusCase & { findings: { rule: string; subject: string; line?: number }[] })[]): CorpusScore;
export function formatScore(score: CorpusScore): string;
