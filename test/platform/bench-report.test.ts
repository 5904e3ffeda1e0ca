import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderMarkdown, unexpectedAnswers, type BenchReport, type ScenarioResult } from '../../bench/report.js';

const result = (over: Partial<ScenarioResult> = {}): ScenarioResult => ({ rps: 1000, p50: 5, p99: 9, errors: 0, non2xx: 0, cpuUs: 100, ...over });

function report(stockscan: ScenarioResult): BenchReport {
  return {
    date: '2026-11-29T03:00:00.000Z',
    versions: { node: 'v20' },
    connections: 32,
    duration: 10,
    dialects: [
      {
        dialect: 'sqlite',
        scales: [
          {
            scale: 1000,
            scenarios: { 'po-receive fresh label': { stockscan, bare: result({ rps: 20000, cpuUs: 25 }), ratio: stockscan.rps / 20000 } },
            historyPageMs: 1,
            stockPageMs: 3,
            startupMs: 700,
            rssMb: 150,
          },
        ],
      },
    ],
  };
}

test('a run whose answers had another status than the scenario expects is named as such', () => {
  const failing = result({ expected: { status: 200, answers: 15000, unexpected: 14999 } });
  assert.equal(unexpectedAnswers(failing), "14999 of 15000 answers were not 200: the figures measure another path than the scenario's");
  assert.match(renderMarkdown(report(failing)), /- \*\*po-receive fresh label at 1k\*\*: 14999 of 15000 answers were not 200/);
});

test('a run whose answers all had the expected status (or that expected none) adds no note', () => {
  for (const r of [result({ expected: { status: 400, answers: 9000, unexpected: 0 } }), result()]) {
    assert.equal(unexpectedAnswers(r), undefined);
    assert.doesNotMatch(renderMarkdown(report(r)), /answers were not/);
  }
});

test('the scan floor is reported under the bare server, as a ratio to the bare server of the short hit', () => {
  const withFloor: BenchReport = report(result());
  const scale = withFloor.dialects[0]!.scales[0]!;
  scale.scenarios['internal short hit'] = { stockscan: result({ rps: 8000, cpuUs: 120 }), bare: result({ rps: 80000, cpuUs: 12 }), ratio: 0.1 };
  scale.scanFloor = result({ rps: 28000, p50: 0, p99: 5, cpuUs: 32 });
  const markdown = renderMarkdown(withFloor);
  assert.match(markdown, /\| scan floor \(internal short hit: Fastify, one read, a history row\) \| 28000 \| 0 \| 5 \| 0\.35 \| 32 \| 0\.38 \| \|/);
  assert.match(markdown, /"Scan floor" is the least a scan can cost on the same stack/);
  assert.doesNotMatch(renderMarkdown(report(result())), /scan floor/i, 'no floor measured, no row');
});
