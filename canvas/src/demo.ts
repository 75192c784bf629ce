import { api } from './api';

/**
 * The demo org of `molecule --demo` (cli DemoOrg): a PM with two reports on the scripted model.
 * The PM's script asks the Dev Lead, hands the answer to the Researcher and passes both on.
 */
const PM_SCRIPT = {
  steps: [
    { tool: 'delegate_task', args: { workspace_id: 'Dev Lead', task: 'How would you build this? {{input}}' } },
    { tool: 'delegate_task', args: { workspace_id: 'Researcher', task: '{{tool_result}}' } },
    { reply: 'PM: for "{{input}}" my team says: {{tool_result}}' },
  ],
};
const DEV_SCRIPT = { steps: [{ reply: 'Dev Lead: a small API and a simple UI, tests first, about two days of work.' }] };
const RESEARCH_SCRIPT = {
  steps: [{ reply: 'Researcher: on the plan [{{input}}], talk to three users first and ship the smallest version.' }],
};

/** Creates the demo org through POST /workspaces; returns the PM's id. */
export async function createDemoOrg(): Promise<string> {
  const pm = await api.create({ name: 'PM', role: 'Product manager: splits requests between the team', model: 'scripted',
    config: { script: PM_SCRIPT } });
  await Promise.all([
    api.create({ name: 'Dev Lead', role: 'Engineering lead', model: 'scripted', parent_id: pm.id, config: { script: DEV_SCRIPT } }),
    api.create({ name: 'Researcher', role: 'User researcher', model: 'scripted', parent_id: pm.id, config: { script: RESEARCH_SCRIPT } }),
  ]);
  return pm.id;
}
