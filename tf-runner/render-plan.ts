/**
 * Renders a plan the way `terraform plan` prints it (v1.5 human-readable
 * format) for null_resource: action symbols, `# <address> must be replaced`
 * headers, trigger diffs with `# forces replacement`, and the
 * `Plan: N to add, 0 to change, M to destroy.` line.
 */
import { hasChanges, Plan, PlannedAction, TriggerChange } from './plan';

const SYMBOL_LEGEND: Array<[string, string]> = [
  ['+', 'create'],
  ['-', 'destroy'],
  ['-/+', 'destroy and then create replacement'],
  ['+/-', 'create replacement and then destroy'],
];

export function renderPlan(plan: Plan): string {
  if (!hasChanges(plan)) return renderNoChanges(plan);
  const changed = plan.actions.filter((action) => action.action !== 'no-op');
  const used = new Set(changed.map(symbolFor));
  const lines = [
    'Terraform used the selected providers to generate the following execution',
    'plan. Resource actions are indicated with the following symbols:',
    ...SYMBOL_LEGEND.filter(([symbol]) => used.has(symbol)).map(([symbol, text]) => `${symbol.padStart(3)} ${text}`),
    '',
    'Terraform will perform the following actions:',
    '',
    ...changed.flatMap((action) => [...renderAction(action), '']),
    `Plan: ${plan.summary.add} to add, ${plan.summary.change} to change, ${plan.summary.destroy} to destroy.`,
  ];
  return `${lines.join('\n')}\n`;
}

function renderNoChanges(plan: Plan): string {
  const lines =
    plan.mode === 'destroy'
      ? [
          'No changes. No objects need to be destroyed.',
          '',
          'Either you have not created any objects yet or the existing objects were',
          'already deleted outside of Terraform.',
        ]
      : [
          'No changes. Your infrastructure matches the configuration.',
          '',
          'Terraform has compared your real infrastructure against your configuration',
          'and found no differences, so no changes are needed.',
        ];
  return `${lines.join('\n')}\n`;
}

function symbolFor(action: PlannedAction): string {
  if (action.action === 'create') return '+';
  if (action.action === 'replace') return action.createBeforeDestroy ? '+/-' : '-/+';
  return '-';
}

function renderAction(action: PlannedAction): string[] {
  const name = action.address.slice(action.address.indexOf('.') + 1);
  return [
    ...headerComments(action).map((comment) => `  # ${comment}`),
    `${symbolFor(action).padStart(3)} resource "null_resource" "${name}" {`,
    ...attributeLines(action),
    '    }',
  ];
}

function headerComments(action: PlannedAction): string[] {
  const { address } = action;
  switch (action.action) {
    case 'create':
      return [`${address} will be created`];
    case 'replace':
      return [action.reason === 'replace_because_tainted' ? `${address} is tainted, so must be replaced` : `${address} must be replaced`];
    case 'destroy':
      return [`${address} will be destroyed`];
    default:
      if (action.reason === 'delete_deposed_object') {
        return [`${address} (deposed object ${action.prior?.deposed}) will be destroyed`, '(left over from a partially-failed replacement of this instance)'];
      }
      return [`${address} will be destroyed`, `(because ${address} is not in configuration)`];
  }
}

function attributeLines(action: PlannedAction): string[] {
  const before = action.prior?.triggers ?? null;
  const after = action.plannedTriggers;
  const id = action.prior ? JSON.stringify(action.prior.id) : '';
  if (action.action === 'create') {
    return [`      + ${attr('id', after)} = (known after apply)`, ...wholeMap('+', after, '')];
  }
  if (action.action !== 'replace') {
    return [`      - ${attr('id', before)} = ${id} -> null`, ...wholeMap('-', before, ' -> null')];
  }
  const idLine = `      ~ ${attr('id', before ?? after)} = ${id} -> (known after apply)`;
  if (action.triggerChanges.length === 0 && (before === null) === (after === null)) {
    return before === null ? [idLine] : [idLine, '        # (1 unchanged attribute hidden)'];
  }
  if (before === null) return [idLine, ...wholeMap('+', after, '', ' # forces replacement')];
  if (after === null) return [idLine, ...wholeMap('-', before, ' -> null', ' # forces replacement')];
  const unchanged = Object.keys(after).filter((key) => before[key] === after[key]).length;
  return [
    idLine,
    '      ~ triggers = { # forces replacement',
    ...elementLines(action.triggerChanges),
    ...(unchanged > 0 ? [`            # (${unchanged} unchanged element${unchanged === 1 ? '' : 's'} hidden)`] : []),
    '        }',
  ];
}

/** Attribute names are aligned on `=` across the block, as Terraform does. */
function attr(name: string, triggers: Record<string, string> | null): string {
  return triggers === null ? name : name.padEnd('triggers'.length);
}

function wholeMap(symbol: '+' | '-', triggers: Record<string, string> | null, suffix: string, comment = ''): string[] {
  if (triggers === null) return [];
  const keys = Object.keys(triggers).sort();
  if (keys.length === 0) return [`      ${symbol} triggers = {}${suffix}${comment}`];
  const width = Math.max(...keys.map((key) => JSON.stringify(key).length));
  return [
    `      ${symbol} triggers = {${comment}`,
    ...keys.map((key) => `          ${symbol} ${JSON.stringify(key).padEnd(width)} = ${JSON.stringify(triggers[key])}`),
    `        }${suffix}`,
  ];
}

function elementLines(changes: TriggerChange[]): string[] {
  const width = Math.max(...changes.map((change) => JSON.stringify(change.key).length));
  return changes.map(({ key, before, after }) => {
    const quoted = JSON.stringify(key).padEnd(width);
    if (before === null) return `          + ${quoted} = ${JSON.stringify(after)}`;
    if (after === null) return `          - ${quoted} = ${JSON.stringify(before)} -> null`;
    return `          ~ ${quoted} = ${JSON.stringify(before)} -> ${JSON.stringify(after)}`;
  });
}
