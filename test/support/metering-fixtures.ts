/** Atomia's outgoing traffic, a counter for every plan: the first 1,000 GB included, then 0.01 a GB, from 10,000 GB 0.008. */
export const TRAFFIC_COUNTER = {
  key: 'traffic-out',
  name: 'Outgoing traffic',
  unitName: 'GB',
  measurementUnit: '1',
  ranges: [
    { from: '0', price: '0' },
    { from: '1000', price: '0.01' },
    { from: '10000', price: '0.008' },
  ],
};

/** 0.40 per million disk reads. */
export const DISK_READS_COUNTER = {
  key: 'disk-read-requests',
  name: 'Disk read requests',
  unitName: 'requests',
  measurementUnit: '1000000',
  ranges: [{ from: '0', price: '0.4' }],
};

/** 0.01 an hour while suspended, one per instance. */
export const SUSPENSION_FEE_RULE = {
  key: 'suspension-fee',
  name: 'Suspension fee',
  unit: 'instance',
  price: '0.01',
  periodSeconds: 3_600,
  kind: 'postpaid',
  quantitySource: 'fixed',
  fixedQuantity: '1',
  on: ['suspended'],
};

/** NoCloud's example: 10 per IPv4 address every 30 days, one per instance, in every state but terminated. */
export const IPV4_RULE = {
  key: 'ipv4',
  name: 'IPv4 address',
  unit: 'address',
  price: '10',
  periodSeconds: 30 * 86_400,
  kind: 'postpaid',
  quantitySource: 'fixed',
  fixedQuantity: '1',
  on: ['terminated'],
  except: true,
};

/** A backup at 0.72 per 30 days, paid in advance, only while the instance runs or is stopped. */
export const BACKUP_RULE = {
  key: 'backup',
  name: 'Backup',
  unit: 'backup',
  price: '0.72',
  periodSeconds: 30 * 86_400,
  kind: 'prepaid',
  quantitySource: 'fixed',
  fixedQuantity: '1',
  on: ['running', 'stopped'],
  except: false,
};
