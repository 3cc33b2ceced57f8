import { Wastage } from '../contract/wastage.js';
import { defineEvent } from './define.js';

export const wastageEvents = {
  'wastage.recorded': defineEvent({
    version: 1,
    aggregateType: 'wastage',
    description: 'Stock was written off (spillage, line cleaning, breakage…): the reply of recordWastage.',
    data: Wastage,
  }),
};
