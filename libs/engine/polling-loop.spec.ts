import { describe, expect, it } from '@jest/globals';
import { PollingLoop } from './polling-loop.js';

const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i += 1) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(check()).toBe(true);
};

describe('PollingLoop', () => {
  it('passes repeatedly, never two at once, and stops after the pass in flight', async () => {
    let passes = 0;
    let running = 0;
    let overlapped = false;
    const loop = new PollingLoop(
      async () => {
        running += 1;
        overlapped ||= running > 1;
        await new Promise((resolve) => setTimeout(resolve, 5));
        passes += 1;
        running -= 1;
      },
      1,
      () => undefined,
    );
    loop.start();
    loop.start();
    await until(() => passes >= 3);
    await loop.stop();
    const after = passes;
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(passes).toBe(after);
    expect(running).toBe(0);
    expect(overlapped).toBe(false);
  });

  it('reports a failing pass and goes on', async () => {
    const errors: unknown[] = [];
    let passes = 0;
    const loop = new PollingLoop(
      async () => {
        passes += 1;
        if (passes === 1) throw new Error('first pass fails');
      },
      1,
      (error) => errors.push(error),
    );
    loop.start();
    await until(() => passes >= 2);
    await loop.stop();
    expect(errors).toHaveLength(1);
  });
});
