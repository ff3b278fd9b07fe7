import { DataSource } from 'typeorm';
import { dataSourceOptionsFromUrl } from '../common/data-source-options';

/** For `npm run migration:run` / `migration:revert` against DATABASE_URL (a host's own database). */
export default new DataSource(dataSourceOptionsFromUrl(process.env.DATABASE_URL));
