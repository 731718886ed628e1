import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { LONGEST } from './longest-files.js';

const rank = (spec: TestSpecification) => {
  const at = LONGEST.findIndex((file) => spec.moduleId.endsWith(`/${file}`));
  return at < 0 ? LONGEST.length : at;
};

/** Vitest's own order, with the files known to take longest moved to the front of their project. */
export default class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const projects = new Map<string, TestSpecification[]>();
    for (const spec of sorted) {
      const group = projects.get(spec.project.name) ?? [];
      group.push(spec);
      projects.set(spec.project.name, group);
    }
    // Array sort is stable: within a rank, vitest's order stays.
    return [...projects.values()].flatMap((group) => [...group].sort((a, b) => rank(a) - rank(b)));
  }
}
