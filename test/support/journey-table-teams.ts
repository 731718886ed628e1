import type { Name } from './world.js';

/**
 * The request journeys every surface runs (the seeded world of test/support/world.ts): who asks, the
 * console wizard's answers in the scripted order (source, destination, same company, transferee,
 * transferor, assets, justification, terms, review), and the same request as one line.
 */
export interface Journey {
  name: string;
  as: Name;
  wizard: string[];
  oneLine: string;
}

export const JOURNEYS: Journey[] = [
  {
    name: 'same company',
    as: 'alice',
    wizard: ['fr-a.example', 'fr-b.example/DEFAULT', 'yes', 'SO:100-1, SN:FOC0001', 'yes'],
    oneLine: 'new from:fr-a.example to:fr-b.example/DEFAULT assets:SO:100-1,SN:FOC0001 same-company:yes',
  },
  {
    name: 'an affiliate answered “same company”: refused for want of the request form, nothing created',
    as: 'alice',
    wizard: ['fr-a.example', 'be.example/DEFAULT', 'yes', 'SO:100-2', 'yes'],
    oneLine: 'new from:fr-a.example to:be.example/DEFAULT assets:SO:100-2 same-company:yes',
  },
  {
    name: 'another company',
    as: 'alice',
    wizard: [
      'Lyon',
      'be.example/DEFAULT',
      'no',
      'bob@be.example',
      'SO:100-2',
      'Brussels office',
      'yes',
      'yes',
    ],
    oneLine:
      'new from:fr-a.example to:be.example/DEFAULT assets:SO:100-2 same-company:no transferee:bob@be.example justification:"Brussels office" terms:accept',
  },
  {
    name: 'another company, a bad answer at every step',
    as: 'alice',
    wizard: [
      'nowhere',
      'fr-a.example',
      'fr-a.example',
      'be.example',
      'Nope',
      'DEFAULT',
      'maybe',
      'no',
      'eve@partner.example',
      'bob@be.example',
      'SO:101-1',
      'SO:abc',
      'SO:105-1',
      ' ',
      'Brussels office',
      'no',
      'yes',
      'later',
      'yes',
    ],
    oneLine:
      'new from:fr-a.example to:be.example/DEFAULT assets:SO:105-1 same-company:no transferee:bob@be.example justification:"Brussels office" terms:accept',
  },
  {
    name: 'a partner’s request naming its transferor (after one who cannot be)',
    as: 'paul',
    wizard: [
      'fr-a.example',
      'be.example/DEFAULT',
      'no',
      'bob@be.example',
      'bob@be.example',
      'carol@fr.example',
      'SO:103-1',
      'Integration',
      'yes',
      'yes',
    ],
    oneLine:
      'new from:fr-a.example to:be.example/DEFAULT assets:SO:103-1 same-company:no transferee:bob@be.example transferor:carol@fr.example justification:Integration terms:accept',
  },
  {
    name: 'a partner’s request, every eligible transferor asked',
    as: 'paul',
    wizard: [
      'fr-a.example',
      'be.example/DEFAULT',
      'no',
      'bob@be.example',
      '',
      'SO:103-1',
      'Integration',
      'yes',
      'yes',
    ],
    oneLine:
      'new from:fr-a.example to:be.example/DEFAULT assets:SO:103-1 same-company:no transferee:bob@be.example justification:Integration terms:accept',
  },
];
