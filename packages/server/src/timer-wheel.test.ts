import { afterEach, describe, expect, it } from 'vitest';
import { TimerWheel, WheelTimer } from './timer-wheel.js';

function recorder() {
  const fired: number[] = [];
  return { fired, target: { onTimer: (k: number) => fired.push(k) } };
}

describe('TimerWheel', () => {
  let wheel: TimerWheel;
  afterEach(() => wheel.stop());

  it('fires a timer after its delay, not before', async () => {
    wheel = new TimerWheel(10);
    const r = recorder();
    const t = new WheelTimer(r.target, 7);
    const t0 = Date.now();
    wheel.schedule(t, 60);
    await new Promise((res) => setTimeout(res, 30));
    expect(r.fired).toEqual([]);
    await new Promise((res) => setTimeout(res, 80));
    expect(r.fired).toEqual([7]);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(60);
    expect(t.armed).toBe(false);
    expect(wheel.size).toBe(0);
  });

  it('cancel stops a timer; re-schedule moves it', async () => {
    wheel = new TimerWheel(10);
    const r = recorder();
    const a = new WheelTimer(r.target, 1);
    const b = new WheelTimer(r.target, 2);
    wheel.schedule(a, 20);
    wheel.schedule(b, 20);
    wheel.cancel(a);
    wheel.schedule(b, 200);
    await new Promise((res) => setTimeout(res, 60));
    expect(r.fired).toEqual([]);
    expect(wheel.size).toBe(1);
    wheel.cancel(b);
    expect(wheel.size).toBe(0);
  });

  it('a callback that cancels another due timer stops it from firing', async () => {
    wheel = new TimerWheel(10);
    const fired: string[] = [];
    const b = new WheelTimer({ onTimer: () => fired.push('b') }, 0);
    const a = new WheelTimer(
      {
        onTimer: () => {
          fired.push('a');
          wheel.cancel(b);
        },
      },
      0,
    );
    wheel.schedule(b, 15);
    wheel.schedule(a, 15);
    await new Promise((res) => setTimeout(res, 60));
    expect(fired).toEqual(['a']);
  });

  it('handles deadlines longer than one turn of the wheel', async () => {
    wheel = new TimerWheel(1);
    const r = recorder();
    const t = new WheelTimer(r.target, 3);
    wheel.schedule(t, 700); // 512 slots of 1 ms: more than one turn
    await new Promise((res) => setTimeout(res, 550));
    expect(r.fired).toEqual([]);
    await new Promise((res) => setTimeout(res, 300));
    expect(r.fired).toEqual([3]);
  });
});
