/**
 * The boundaries between feature folders (README, "How the code is laid out"), checked by `npm run lint`, with no
 * list of known violations to let one pass.
 */

/**
 * The features, lowest first. Each may import only those before it, so the feature graph has no cycle: a cycle
 * needs an import upward, and a lower feature makes a higher one act through an event (common/domain-events.ts)
 * or an abstract class the higher one provides (common/provided-above.ts).
 */
const LAYERS = [
  'settings',
  'currencies',
  'catalog',
  'instances',
  'metering',
  'accounts',
  'billing',
  'promotions',
  'budgets',
  'payments',
  'amqp',
  'placement',
  'reports',
  'statements',
  'widget',
  'wizard',
];
const FEATURES = `(${LAYERS.join('|')})`;

const noUpwardImports = LAYERS.slice(0, -1).map((feature, index) => ({
  name: `${feature}-imports-no-feature-above`,
  comment: `${feature} may import only ${LAYERS.slice(0, index).join(', ') || 'no other feature'}.`,
  severity: 'error',
  from: { path: `^src/${feature}/` },
  to: { path: `^src/(${LAYERS.slice(index + 1).join('|')})/` },
}));

module.exports = {
  forbidden: [
    ...noUpwardImports,
    {
      name: 'no-circular',
      comment: 'No module imports itself through others at run time (a DTO and its service may share types).',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'no-foreign-repository',
      comment: "A feature asks another feature's exported services, never its repositories.",
      severity: 'error',
      from: { path: `^src/${FEATURES}/` },
      to: { path: `^src/${FEATURES}/.+[.]repository[.]ts$`, pathNot: '^src/$1/' },
    },
    {
      name: 'no-foreign-entity',
      comment:
        "A feature reads another feature's rows through that feature's services. Importing the entity's type (what " +
        'those services return) is fine; importing the class is how one queries its table, and is not.',
      severity: 'error',
      from: { path: `^src/${FEATURES}/` },
      to: {
        path: `^src/${FEATURES}/.+[.]entit(y|ies)[.]ts$`,
        pathNot: '^src/$1/',
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'one-transaction-runner',
      comment: 'Units of work run through UnitOfWork (common/unit-of-work.ts), the one place that opens transactions.',
      severity: 'error',
      from: { pathNot: '^src/common/(unit-of-work|transactions([.]spec)?)[.]ts$' },
      to: { path: '^src/common/transactions[.]ts$' },
    },
    {
      name: 'tx-opened-only-in-repositories',
      comment: 'Only repositories turn a transaction handle into queries (managerOf); others may name its type.',
      severity: 'error',
      from: { path: `^src/${FEATURES}/`, pathNot: '[.]repository[.]ts$' },
      to: { path: '^src/common/tx[.]ts$', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'orm-only-in-persistence',
      comment:
        'TypeORM stays in repositories, entities and the modules that register them: services, controllers and ' +
        'rating code work with domain types and transaction handles.',
      severity: 'error',
      from: { path: `^src/${FEATURES}/`, pathNot: '[.](repository|entity|entities|module)[.]ts$' },
      to: { path: '(^|/)node_modules/(typeorm|@nestjs/typeorm)/' },
    },
    {
      name: 'not-to-demo',
      comment: 'The demo host is a host like any other: nothing of the plugin imports it.',
      severity: 'error',
      from: { pathNot: '^src/demo/' },
      to: { path: '^src/demo/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^(dist|node_modules)/' },
  },
};
