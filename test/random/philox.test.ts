import { describe, expect, it } from 'vitest';
import { logFactorial, mulhi32, philox4x32, PhiloxStream, uniform24, uniform53 } from '../../src/random/index.js';

// Random123 tests/kat_vectors, philox4x32 10 rounds: counter words, key words, expected output.
const KAT: [number[], number[], number[]][] = [
  [
    [0, 0, 0, 0],
    [0, 0],
    [0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8],
  ],
  [
    [0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff],
    [0xffffffff, 0xffffffff],
    [0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd],
  ],
  [
    [0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344],
    [0xa4093822, 0x299f31d0],
    [0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1],
  ],
];

describe('Philox4x32-10', () => {
  it.each(KAT)('matches the Random123 known-answer vector for counter %j key %j', (c, k, want) => {
    expect(Array.from(philox4x32(c[0]!, c[1]!, c[2]!, c[3]!, k[0]!, k[1]!))).toEqual(want);
  });

  it('mulhi32 equals the BigInt 64-bit product on random and extreme operands', () => {
    const s = new PhiloxStream(7, 1);
    const ops = [0, 1, 0xffff, 0x10000, 0xffffffff, 0xd2511f53, 0xcd9e8d57];
    for (let i = 0; i < 2000; i++) ops.push(s.u32());
    for (let i = 0; i < ops.length; i++) {
      const a = ops[i]!;
      const b = ops[(i * 7 + 3) % ops.length]!;
      const want = Number((BigInt(a) * BigInt(b)) >> 32n);
      expect(mulhi32(a, b)).toBe(want);
    }
  });

  it('uniform24 spans [0, 1) and never reaches 1; uniform53 likewise', () => {
    expect(uniform24(0)).toBe(0);
    expect(uniform24(0xffffffff)).toBe(1 - 2 ** -24);
    expect(Math.fround(uniform24(0xffffffff))).toBeLessThan(1);
    expect(uniform53(0xffffffff, 0xffffffff)).toBe(1 - 2 ** -53);
  });

  it('different keys and counters give different blocks; same inputs the same block', () => {
    const a = Array.from(philox4x32(1, 0, 0, 0, 5, 0));
    expect(Array.from(philox4x32(1, 0, 0, 0, 5, 0))).toEqual(a);
    expect(Array.from(philox4x32(2, 0, 0, 0, 5, 0))).not.toEqual(a);
    expect(Array.from(philox4x32(1, 0, 0, 0, 5, 1))).not.toEqual(a);
  });
});

describe('PhiloxStream', () => {
  it('reproduces block n of (seed, stream) word by word', () => {
    const s = new PhiloxStream(12345, 3);
    const words = Array.from({ length: 12 }, () => s.u32());
    for (let n = 0; n < 3; n++)
      expect(words.slice(4 * n, 4 * n + 4)).toEqual(Array.from(philox4x32(n, 0, 0, 0, 12345, 3)));
    expect(s.position).toBe(12);
  });

  it('rejects seeds outside u32', () => {
    expect(() => new PhiloxStream(-1)).toThrow(/seed must be an integer/);
    expect(() => new PhiloxStream(1.5)).toThrow(/seed/);
    expect(() => new PhiloxStream(2 ** 32)).toThrow(/seed/);
  });

  it('uniform and normal moments agree with theory within 5 standard errors', () => {
    const s = new PhiloxStream(99);
    const n = 200_000;
    let su = 0,
      suu = 0,
      sz = 0,
      szz = 0,
      sz4 = 0;
    for (let i = 0; i < n; i++) {
      const u = s.uniform();
      su += u;
      suu += u * u;
      const z = s.normal();
      sz += z;
      szz += z * z;
      sz4 += z ** 4;
    }
    expect(Math.abs(su / n - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(suu / n - 1 / 3)).toBeLessThan(5 * Math.sqrt(4 / 45 / n));
    expect(Math.abs(sz / n)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(szz / n - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
    expect(Math.abs(sz4 / n - 3)).toBeLessThan(5 * Math.sqrt(96 / n));
  });

  it('int(n) is uniform over [0, n) (chi-square, 6 cells)', () => {
    const s = new PhiloxStream(4);
    const counts = new Array(6).fill(0);
    const n = 60_000;
    for (let i = 0; i < n; i++) counts[s.int(6)]++;
    const chi2 = counts.reduce((a, c) => a + (c - n / 6) ** 2 / (n / 6), 0);
    expect(chi2).toBeLessThan(20.5); // 5 d.o.f., p = 0.001
  });
});

describe('Poisson sampler', () => {
  it('logFactorial is continuous across the table/Stirling boundary', () => {
    let direct = 0;
    for (let k = 2; k <= 300; k++) direct += Math.log(k);
    expect(Math.abs(logFactorial(300) - direct) / direct).toBeLessThan(1e-13);
    expect(logFactorial(0)).toBe(0);
    expect(logFactorial(1)).toBe(0);
  });

  it.each([0.3, 3, 9.9, 10, 37, 2500])('lambda = %d: mean and variance within 5 standard errors', (lam) => {
    const s = new PhiloxStream(2024, Math.round(lam * 10));
    const n = 40_000;
    let m = 0,
      m2 = 0,
      bad = 0;
    for (let i = 0; i < n; i++) {
      const k = s.poisson(lam);
      if (!Number.isInteger(k) || k < 0) bad++;
      m += k;
      m2 += k * k;
    }
    const mean = m / n;
    const v = m2 / n - mean * mean;
    expect(bad).toBe(0);
    expect(Math.abs(mean - lam)).toBeLessThan(5 * Math.sqrt(lam / n));
    // Var of the sample variance ~ (mu4 - sigma^4)/n with mu4 = lam(1 + 3 lam) for Poisson.
    expect(Math.abs(v - lam)).toBeLessThan(5 * Math.sqrt((lam * (1 + 3 * lam) - lam * lam) / n));
  });

  it.each([4, 30])('lambda = %d: histogram fits the pmf (chi-square)', (lam) => {
    const s = new PhiloxStream(77, lam);
    const n = 50_000;
    const counts = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const k = s.poisson(lam);
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    // Cells with expected count >= 20, the two tails lumped.
    let chi2 = 0,
      cells = 0,
      lowObs = 0,
      lowExp = 0,
      k = 0;
    const pmf = (j: number) => Math.exp(-lam + j * Math.log(lam) - logFactorial(j));
    while (n * pmf(k) < 20) {
      lowObs += counts.get(k) ?? 0;
      lowExp += n * pmf(k);
      k++;
    }
    if (lowExp > 0) {
      chi2 += (lowObs - lowExp) ** 2 / lowExp;
      cells++;
    }
    let accExp = lowExp;
    while (n * pmf(k) >= 20) {
      const e = n * pmf(k);
      chi2 += ((counts.get(k) ?? 0) - e) ** 2 / e;
      accExp += e;
      cells++;
      k++;
    }
    let hiObs = 0;
    for (const [j, c] of counts) if (j >= k) hiObs += c;
    const hiExp = n - accExp;
    chi2 += (hiObs - hiExp) ** 2 / hiExp;
    cells++;
    // 99.9% quantile of chi-square with (cells - 1) d.o.f., Wilson–Hilferty.
    const d = cells - 1;
    const q = d * (1 - 2 / (9 * d) + 3.09 * Math.sqrt(2 / (9 * d))) ** 3;
    expect(chi2).toBeLessThan(q);
  });

  it('rejects a negative or NaN mean', () => {
    const s = new PhiloxStream(1);
    expect(() => s.poisson(-1)).toThrow(/Poisson mean/);
    expect(() => s.poisson(NaN)).toThrow(/Poisson mean/);
    expect(s.poisson(0)).toBe(0);
  });
});
