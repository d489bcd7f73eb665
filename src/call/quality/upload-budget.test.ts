import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type EncodingPlan, type ReceiverView, MAX_CPU_LEVEL, splitUploadBudget } from './upload-budget.js';

const CAMERA = { width: 640, height: 480, frameRate: 30 };
const SCREEN = { width: 1280, height: 720, frameRate: 30 };

function view(change: { [K in keyof ReceiverView]?: ReceiverView[K] | undefined } = {}): ReceiverView {
  const whole = {
    camera: { width: 640, height: 480 },
    hidden: false,
    pinned: false,
    speaking: false,
    saver: false,
    ...change,
  };
  // Absent, not undefined: what a parsed message holds.
  return Object.fromEntries(Object.entries(whole).filter(([, value]) => value !== undefined)) as ReceiverView;
}

function activeTotal(plans: ReturnType<typeof splitUploadBudget>): number {
  let total = 0;
  for (const plan of plans.values())
    for (const encoding of Object.values<EncodingPlan>(plan))
      if (encoding.active) total += encoding.maxBitrate;
  return total;
}

describe('splitUploadBudget', () => {
  it('sends a receiver that said nothing the whole picture, as before', () => {
    const plans = splitUploadBudget({
      budgetBps: 2_500_000,
      camera: CAMERA,
      receivers: new Map([['ann', undefined]]),
    });
    expect(plans.get('ann')?.camera).toMatchObject({
      active: true,
      scaleResolutionDownBy: 1,
      maxFramerate: 30,
    });
  });

  it('sends no more pixels than the tile shows', () => {
    const plans = splitUploadBudget({
      budgetBps: 2_500_000,
      camera: CAMERA,
      receivers: new Map([['ann', view({ camera: { width: 320, height: 240 } })]]),
    });
    expect(plans.get('ann')?.camera?.scaleResolutionDownBy).toBe(2);
  });

  it('covers a tile of another shape: the smaller ratio wins', () => {
    // A 16:9 tile 400 wide shows a 4:3 picture cropped to its width: 400 of the 640 are needed.
    const plans = splitUploadBudget({
      budgetBps: 2_500_000,
      camera: CAMERA,
      receivers: new Map([['ann', view({ camera: { width: 400, height: 225 } })]]),
    });
    expect(plans.get('ann')?.camera?.scaleResolutionDownBy).toBe(1.5);
  });

  it('pauses the copy of a receiver whose tab is hidden, or who does not show us', () => {
    const plans = splitUploadBudget({
      budgetBps: 2_500_000,
      camera: CAMERA,
      receivers: new Map([
        ['hidden', view({ hidden: true })],
        ['unshown', view({ camera: undefined })],
        ['seeing', view()],
      ]),
    });
    expect(plans.get('hidden')?.camera?.active).toBe(false);
    expect(plans.get('unshown')?.camera?.active).toBe(false);
    expect(plans.get('seeing')?.camera?.active).toBe(true);
  });

  it('keeps the whole upload within the budget however many people there are', () => {
    for (const people of [1, 2, 3, 5, 7]) {
      const receivers = new Map(Array.from({ length: people }, (_, index) => [`p${index}`, view()] as const));
      const plans = splitUploadBudget({ budgetBps: 2_500_000, camera: CAMERA, receivers });
      expect(activeTotal(plans)).toBeLessThanOrEqual(2_500_000);
    }
  });

  it('spends a short budget evenly on equals, with fewer pixels each rather than blur', () => {
    const plans = splitUploadBudget({
      budgetBps: 1_000_000,
      camera: CAMERA,
      receivers: new Map([
        ['ann', view()],
        ['bob', view()],
      ]),
    });
    const ann = plans.get('ann')!.camera!;
    const bob = plans.get('bob')!.camera!;
    expect(ann.maxBitrate).toBeCloseTo(500_000, -3);
    expect(bob.maxBitrate).toBe(ann.maxBitrate);
    // 640×480 at 30 fps is worth about 0.9 Mbit/s: half of that is a smaller picture.
    expect(ann.scaleResolutionDownBy).toBeGreaterThan(1);
  });

  it('serves a shared screen first, then whoever is pinned or speaking, then the rest', () => {
    const plans = splitUploadBudget({
      budgetBps: 4_000_000,
      camera: CAMERA,
      screen: SCREEN,
      receivers: new Map([
        ['ann', view({ screen: { width: 1280, height: 720 }, speaking: true })],
        ['bob', view({ screen: { width: 1280, height: 720 } })],
      ]),
    });
    const screens = plans.get('ann')!.screen!.maxBitrate + plans.get('bob')!.screen!.maxBitrate;
    expect(screens).toBeGreaterThan(
      plans.get('ann')!.camera!.maxBitrate + plans.get('bob')!.camera!.maxBitrate,
    );
    expect(plans.get('ann')!.camera!.maxBitrate).toBeGreaterThan(plans.get('bob')!.camera!.maxBitrate);
    expect(activeTotal(plans)).toBeLessThanOrEqual(4_000_000);
  });

  it('sends a receiver that saves data a small copy', () => {
    const plans = splitUploadBudget({
      budgetBps: 2_500_000,
      camera: CAMERA,
      receivers: new Map([['ann', view({ saver: true })]]),
    });
    const copy = plans.get('ann')!.camera!;
    expect(copy.maxBitrate).toBeLessThanOrEqual(150_000);
    expect(copy.maxFramerate).toBeLessThanOrEqual(15);
    expect(CAMERA.height / copy.scaleResolutionDownBy).toBeLessThanOrEqual(180);
  });

  it('splits a budget smaller than every copy’s least equally', () => {
    const receivers = new Map(Array.from({ length: 7 }, (_, index) => [`p${index}`, view()] as const));
    const plans = splitUploadBudget({ budgetBps: 210_000, camera: CAMERA, receivers });
    for (const plan of plans.values()) expect(plan.camera?.maxBitrate).toBe(30_000);
  });

  it('under CPU pressure lowers the least visible copies first, pixels before frames, all at the top', () => {
    const receivers = new Map([
      ['small', view({ camera: { width: 160, height: 120 } })],
      ['large', view({ camera: { width: 640, height: 480 } })],
      ['pinned', view({ camera: { width: 320, height: 240 }, pinned: true })],
    ]);
    const calm = splitUploadBudget({ budgetBps: 2_500_000, camera: CAMERA, receivers });
    const pressed = splitUploadBudget({ budgetBps: 2_500_000, camera: CAMERA, receivers, cpuLevel: 1 });
    // Already at the smallest picture pressure allows (120 lines): it gives up frames.
    expect(pressed.get('small')!.camera).toMatchObject({ scaleResolutionDownBy: 4, maxFramerate: 15 });
    expect(pressed.get('large')!.camera).toEqual(calm.get('large')!.camera);
    expect(pressed.get('pinned')!.camera).toEqual(calm.get('pinned')!.camera);
    const more = splitUploadBudget({ budgetBps: 2_500_000, camera: CAMERA, receivers, cpuLevel: 2 });
    // Pixels first: 640×480 shown at 427×320, at the camera's frame rate.
    expect(more.get('large')!.camera).toMatchObject({ scaleResolutionDownBy: 1.5, maxFramerate: 30 });
    expect(more.get('pinned')!.camera).toEqual(calm.get('pinned')!.camera);
    const most = splitUploadBudget({
      budgetBps: 2_500_000,
      camera: CAMERA,
      receivers,
      cpuLevel: MAX_CPU_LEVEL,
    });
    expect(most.get('large')!.camera).toMatchObject({ scaleResolutionDownBy: 2.25, maxFramerate: 30 });
    expect(most.get('pinned')!.camera).toMatchObject({ scaleResolutionDownBy: 3, maxFramerate: 30 });
    for (const plan of most.values())
      expect(CAMERA.height / plan.camera!.scaleResolutionDownBy).toBeGreaterThanOrEqual(120);
  });

  it('never goes over the budget, never below one in scale, whatever receivers say', () => {
    const size = fc.record({
      width: fc.integer({ min: 1, max: 7680 }),
      height: fc.integer({ min: 1, max: 4320 }),
    });
    const receiver = fc.option(
      fc.record({
        camera: fc.option(size, { nil: undefined }),
        screen: fc.option(size, { nil: undefined }),
        hidden: fc.boolean(),
        pinned: fc.boolean(),
        speaking: fc.boolean(),
        saver: fc.boolean(),
      }),
      { nil: undefined },
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 100_000, max: 50_000_000 }),
        fc.array(receiver, { minLength: 1, maxLength: 7 }),
        fc.boolean(),
        fc.integer({ min: 0, max: MAX_CPU_LEVEL }),
        (budgetBps, views, sharing, cpuLevel) => {
          const receivers = new Map(
            views.map((each, index) => [`p${index}`, each && ({ ...each } as ReceiverView)] as const),
          );
          const plans = splitUploadBudget({
            budgetBps,
            camera: CAMERA,
            ...(sharing && { screen: SCREEN }),
            receivers,
            cpuLevel,
          });
          expect(activeTotal(plans)).toBeLessThanOrEqual(budgetBps);
          for (const plan of plans.values())
            for (const encoding of Object.values<EncodingPlan>(plan)) {
              expect(encoding.scaleResolutionDownBy).toBeGreaterThanOrEqual(1);
              expect(encoding.maxFramerate).toBeGreaterThan(0);
            }
        },
      ),
    );
  });
});
