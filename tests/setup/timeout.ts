// The default timeout of every integration test and hook. CI machines have two cores, are often
// busy with other work, and differ up to 4× in speed (TERRAIN.md): a test here must fail because
// a condition never held (tests/support/wait.ts), never because the machine was slow. Set a
// longer timeout on a test only when it does more than this on a fast machine.
jest.setTimeout(120_000);
