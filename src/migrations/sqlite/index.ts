import * as migration_20261124_201315_initial from './20261124_201315_initial';
import * as migration_20261124_201316_side_table_indexes from './20261124_201316_side_table_indexes';
import * as migration_20261124_204624_trim_customer_indexes from './20261124_204624_trim_customer_indexes';
import * as migration_20261130_151850_data_integrity from './20261130_151850_data_integrity';
import * as migration_20261130_182056_campaigns from './20261130_182056_campaigns';
import * as migration_20261130_183000_segments from './20261130_183000_segments';
import * as migration_20261130_183706_ingest from './20261130_183706_ingest';
import * as migration_20261201_024548_ingest_async from './20261201_024548_ingest_async';
import * as migration_20261201_032500_segment_perf from './20261201_032500_segment_perf';
import * as migration_20261201_101304_log_indexes from './20261201_101304_log_indexes';

export const migrations = [
  {
    up: migration_20261124_201315_initial.up,
    down: migration_20261124_201315_initial.down,
    name: '20261124_201315_initial',
  },
  {
    up: migration_20261124_201316_side_table_indexes.up,
    down: migration_20261124_201316_side_table_indexes.down,
    name: '20261124_201316_side_table_indexes',
  },
  {
    up: migration_20261124_204624_trim_customer_indexes.up,
    down: migration_20261124_204624_trim_customer_indexes.down,
    name: '20261124_204624_trim_customer_indexes',
  },
  {
    up: migration_20261130_151850_data_integrity.up,
    down: migration_20261130_151850_data_integrity.down,
    name: '20261130_151850_data_integrity',
  },
  {
    up: migration_20261130_182056_campaigns.up,
    down: migration_20261130_182056_campaigns.down,
    name: '20261130_182056_campaigns',
  },
  {
    up: migration_20261130_183000_segments.up,
    down: migration_20261130_183000_segments.down,
    name: '20261130_183000_segments',
  },
  {
    up: migration_20261130_183706_ingest.up,
    down: migration_20261130_183706_ingest.down,
    name: '20261130_183706_ingest',
  },
  {
    up: migration_20261201_024548_ingest_async.up,
    down: migration_20261201_024548_ingest_async.down,
    name: '20261201_024548_ingest_async',
  },
  {
    up: migration_20261201_032500_segment_perf.up,
    down: migration_20261201_032500_segment_perf.down,
    name: '20261201_032500_segment_perf',
  },
  {
    up: migration_20261201_101304_log_indexes.up,
    down: migration_20261201_101304_log_indexes.down,
    name: '20261201_101304_log_indexes'
  },
];
