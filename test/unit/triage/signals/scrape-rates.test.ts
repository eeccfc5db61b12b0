import { describe, expect, it } from 'vitest';
import { histogramQuantile } from '../../../../src/triage/signals/histogram-quantile.js';
import {
  averageRateSinceStart,
  ratesBetween,
  readTrafficSample,
  secondsBetween,
} from '../../../../src/triage/signals/scrape-rates.js';
import { sparkline } from '../../../../src/triage/signals/sparkline.js';

const scrape = (ok: number, errors: number, fast: number, total: number) => `# HELP http_requests_total Requests.
# TYPE http_requests_total counter
http_requests_total{code="200",method="GET"} ${ok}
http_requests_total{code="503",method="GET"} ${errors}
# TYPE http_request_duration_seconds histogram
http_request_duration_seconds_bucket{method="GET",le="0.1"} ${fast}
http_request_duration_seconds_bucket{method="GET",le="1"} ${total}
http_request_duration_seconds_bucket{method="GET",le="+Inf"} ${total}
http_request_duration_seconds_sum{method="GET"} 12
http_request_duration_seconds_count{method="GET"} ${total}`;

describe('rates from two scrapes', () => {
  it('reads requests, 5xx and latency buckets from the text format, without a final newline too', () => {
    const sample = readTrafficSample(scrape(900, 100, 950, 1000));
    expect(sample?.requests).toBe(1000);
    expect(sample?.errors).toBe(100);
    expect([...(sample?.buckets ?? [])].sort((a, b) => a[0] - b[0])).toEqual([
      [0.1, 950],
      [1, 1000],
      [Number.POSITIVE_INFINITY, 1000],
    ]);
    expect(readTrafficSample('# TYPE up gauge\nup 1\n')).toBeUndefined();
  });

  it('divides the increase by the seconds between the samples', () => {
    const first = readTrafficSample(scrape(900, 100, 950, 1000));
    const second = readTrafficSample(scrape(1080, 120, 1100, 1200));
    const rates = first && second ? ratesBetween(first, second, 10) : undefined;
    expect(rates?.requests).toBe(20);
    expect(rates?.errors).toBe(2);
    expect(rates?.buckets).toEqual([
      [0.1, 15],
      [1, 20],
      [Number.POSITIVE_INFINITY, 20],
    ]);
  });

  it('counts a counter that went down as restarted: its whole value is the increase', () => {
    const before = readTrafficSample(scrape(900, 100, 950, 1000));
    const restarted = readTrafficSample(scrape(45, 5, 50, 50));
    const rates = before && restarted ? ratesBetween(before, restarted, 5) : undefined;
    expect(rates?.requests).toBe(10);
    expect(rates?.errors).toBe(1);
    expect(ratesBetween(restarted ?? ({} as never), restarted ?? ({} as never), 0)).toBeUndefined();
  });
});

describe('the time between two scrapes', () => {
  const stamped = (requests: number, ms: number) =>
    readTrafficSample(`http_requests_total{code="200"} ${requests} ${ms}\nhttp_requests_total{code="500"} 0 ${ms}\n`)!;

  it("is the pod's own clock when both samples are stamped: 100 s of it in 10 s of the scraper's", () => {
    const first = stamped(1000, 1_700_000_000_000);
    const second = stamped(3000, 1_700_000_100_000);
    expect(first.stampMs).toBe(1_700_000_000_000);
    const seconds = secondsBetween(first, second, 10);
    expect(seconds).toBe(100);
    expect(ratesBetween(first, second, seconds)?.requests).toBe(20);
  });

  it("is the scraper's clock when a sample is unstamped or the pod's clock stood still", () => {
    const plain = readTrafficSample(scrape(900, 100, 950, 1000))!;
    expect(plain.stampMs).toBeUndefined();
    expect(secondsBetween(plain, stamped(3000, 1_700_000_100_000), 10)).toBe(10);
    expect(secondsBetween(stamped(1000, 1_700_000_000_000), stamped(1000, 1_700_000_000_000), 10)).toBe(10);
  });
});

describe("the average rate since the process started (a direct scrape's baseline)", () => {
  const withStart = (requests: number, startedSeconds: number, stampMs?: number) =>
    readTrafficSample(
      `# TYPE process_start_time_seconds gauge\nprocess_start_time_seconds ${startedSeconds}\nhttp_requests_total{code="200"} ${requests}${stampMs === undefined ? '' : ` ${stampMs}`}\n`,
    )!;

  it("divides the counter by the time since process_start_time_seconds, on the pod's clock when stamped", () => {
    const sample = withStart(12_000, 1_700_000_000, 1_700_000_600_000);
    expect(sample.startedMs).toBe(1_700_000_000_000);
    // 12,000 requests in the 600 s since the start, whatever the scraper's clock says.
    expect(averageRateSinceStart(sample, 1_900_000_000_000)).toBe(20);
    expect(averageRateSinceStart(withStart(12_000, 1_700_000_000), 1_700_001_200_000)).toBe(10);
  });

  it('is unknown without a start time, or for a process younger than a minute', () => {
    expect(averageRateSinceStart(readTrafficSample(scrape(900, 100, 950, 1000))!, 1_700_000_000_000)).toBeUndefined();
    expect(averageRateSinceStart(withStart(500, 1_700_000_000, 1_700_000_059_000), 0)).toBeUndefined();
  });
});

describe('histogram quantile', () => {
  it('interpolates inside the bucket holding the rank, as PromQL does', () => {
    // 100 requests: 90 under 0.1 s, 10 between 0.1 and 1 s. Rank 99 is 9/10 into the second bucket.
    expect(
      histogramQuantile(0.99, [
        [0.1, 90],
        [1, 100],
        [Number.POSITIVE_INFINITY, 100],
      ]),
    ).toBeCloseTo(0.91);
    expect(
      histogramQuantile(0.5, [
        [0.1, 90],
        [1, 100],
        [Number.POSITIVE_INFINITY, 100],
      ]),
    ).toBeCloseTo(0.0556, 3);
  });

  it('answers the highest finite bound for a rank in +Inf, and nothing without data', () => {
    expect(
      histogramQuantile(0.99, [
        [0.5, 10],
        [Number.POSITIVE_INFINITY, 100],
      ]),
    ).toBe(0.5);
    expect(
      histogramQuantile(0.99, [
        [0.5, 0],
        [Number.POSITIVE_INFINITY, 0],
      ]),
    ).toBeUndefined();
    expect(histogramQuantile(0.99, [[0.5, 3]])).toBeUndefined();
  });
});

describe('sparkline', () => {
  it('draws from zero, squeezing long series to the width', () => {
    expect(sparkline([0, 0, 0.5, 1])).toBe('▁▁▅█');
    expect(sparkline([0, 0, 0])).toBe('▁▁▁');
    expect(sparkline([])).toBe('');
    expect(
      sparkline(
        Array.from({ length: 120 }, (_, i) => (i < 60 ? 0.002 : 0.18)),
        30,
      ),
    ).toBe(`${'▁'.repeat(15)}${'█'.repeat(15)}`);
  });
});
