import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { diagramInReadme, README, statusDiagram, withDiagram } from '../../scripts/status-diagram.js';
import { STATUSES, TERMINAL_STATUSES, TRANSITIONS } from '../../src/domain/status.js';

describe("the README's workflow diagram", () => {
  it('is the one generated from src/domain/status.ts (npm run docs:diagram rewrites it)', () => {
    expect(diagramInReadme(readFileSync(README, 'utf8'))).toBe(statusDiagram());
  });

  it('draws the eleven statuses with their portal names and exactly the transitions of the table', () => {
    const diagram = diagramInReadme(readFileSync(README, 'utf8'));
    const states = [...diagram.matchAll(/^ {4}state "([^"]+)" as (\w+)$/gm)].map((m) => m[2]);
    expect(states).toEqual([...STATUSES]);
    expect(diagram).toContain(
      'state "Submitted – Awaiting Transferor/Transferee Consent" as awaiting_consent',
    );
    const edges = [...diagram.matchAll(/^ {4}(\w+) --> (\w+)$/gm)].map((m) => `${m[1]} → ${m[2]}`).sort();
    const table = STATUSES.flatMap((from) => TRANSITIONS[from].map((to) => `${from} → ${to}`)).sort();
    expect(edges).toEqual(table);
    const ends = [...diagram.matchAll(/^ {4}(\w+) --> \[\*\]$/gm)].map((m) => m[1]);
    expect(ends).toEqual([...TERMINAL_STATUSES]);
  });

  it('notices a README that drifted: a transition drawn that the table does not have', () => {
    const drifted = withDiagram(
      readFileSync(README, 'utf8'),
      statusDiagram().replace('\n```', '\n    cancelled --> submitted\n```'),
    );
    expect(diagramInReadme(drifted)).not.toBe(statusDiagram());
  });
});
