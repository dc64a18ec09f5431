import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ConversationMessage } from '@naparnik/assist-service/contract';
import { describe, expect, it } from 'vitest';
import { genericAdapter } from '../src/adapters/generic.ts';
import { EXTENSION_ROOT, loadFixtures, parsePage } from './support/fixtures.ts';

interface Score {
  fixture: string;
  expected: number;
  found: number;
  /** Messages at the right position with the right text (whitespace-insensitive). */
  textRight: number;
  /** Of those, also the right role. */
  roleRight: number;
  /** The last customer message (what suggestions answer) found with the right text. */
  latestCustomerRight: boolean;
}

const normalize = (text: string) => text.replace(/\s+/g, ' ').trim();

function score(fixture: string, expected: ConversationMessage[], found: ConversationMessage[]): Score {
  let textRight = 0;
  let roleRight = 0;
  expected.forEach((message, index) => {
    const candidate = found[index];
    if (!candidate || normalize(candidate.text) !== normalize(message.text)) return;
    textRight++;
    if (candidate.role === message.role) roleRight++;
  });
  const lastCustomer = (messages: ConversationMessage[]) =>
    messages.filter((message) => message.role === 'customer').at(-1)?.text ?? '';
  return {
    fixture,
    expected: expected.length,
    found: found.length,
    textRight,
    roleRight,
    latestCustomerRight: normalize(lastCustomer(found)) === normalize(lastCustomer(expected)),
  };
}

describe('generic adapter accuracy over every fixture', () => {
  const scores = loadFixtures()
    .filter((fixture) => fixture.expected)
    .map((fixture) => {
      const expected = fixture.expected!;
      const found = genericAdapter.extract(parsePage(fixture.html), new URL(expected.url))?.messages ?? [];
      return score(`${fixture.site}/${fixture.view}`, expected.conversation.messages, found);
    });
  const total = scores.reduce((sum, entry) => sum + entry.expected, 0);
  const texts = scores.reduce((sum, entry) => sum + entry.textRight, 0);
  const roles = scores.reduce((sum, entry) => sum + entry.roleRight, 0);
  const latest = scores.filter((entry) => entry.latestCustomerRight).length;

  it('reports messages and roles found right', () => {
    const report = {
      fixtures: scores.length,
      messages: total,
      textRight: texts,
      roleRight: roles,
      textAccuracy: Number((texts / total).toFixed(3)),
      roleAccuracy: Number((roles / total).toFixed(3)),
      latestCustomerTurnRight: `${latest}/${scores.length}`,
      perFixture: scores,
    };
    const lines = scores.map(
      (entry) =>
        `${entry.fixture.padEnd(26)} found ${entry.found}/${entry.expected}  text ${entry.textRight}/${entry.expected}  role ${entry.roleRight}/${entry.expected}  latest customer turn ${entry.latestCustomerRight ? 'yes' : 'no'}`,
    );
    console.log(
      `generic adapter: text ${texts}/${total} (${(report.textAccuracy * 100).toFixed(0)}%), text+role ${roles}/${total} (${(report.roleAccuracy * 100).toFixed(0)}%), latest customer turn ${latest}/${scores.length}\n${lines.join('\n')}`,
    );
    const folder = path.join(EXTENSION_ROOT, 'test-artifacts');
    mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, 'generic-adapter-accuracy.json'), `${JSON.stringify(report, null, 2)}\n`);
    expect(scores.length).toBeGreaterThan(0);
  });

  // Floors, not goals: a change that makes the generic adapter worse fails here.
  it('keeps text accuracy at or above 90% and text+role accuracy at or above 75%', () => {
    expect(texts / total).toBeGreaterThanOrEqual(0.9);
    expect(roles / total).toBeGreaterThanOrEqual(0.75);
  });
});
