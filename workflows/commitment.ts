// One workflow per policy commitment or contract with a market entity (issue 3, part 5).
// Placeholder until the commitments registry lands: registered so the worker wiring is in place.
export async function commitmentWorkflow(): Promise<void> {
  throw new Error('the commitments registry is not implemented yet');
}
