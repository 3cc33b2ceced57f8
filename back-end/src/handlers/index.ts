import type { ActionName } from '@barback/messaging';
import listAuditEntries from './audit/list-audit-entries.js';
import beginLogin from './auth/begin-login.js';
import finishLogin from './auth/finish-login.js';
import getPasswordHash from './auth/get-password-hash.js';
import me from './auth/me.js';
import register from './auth/register.js';
import setPassword from './auth/set-password.js';
import createProduct from './catalogue/create-product.js';
import getProduct from './catalogue/get-product.js';
import listProducts from './catalogue/list-products.js';
import updateProduct from './catalogue/update-product.js';
import getSale from './sales/get-sale.js';
import listSales from './sales/list-sales.js';
import refundSale from './sales/refund-sale.js';
import createStaff from './staff/create-staff.js';
import disableStaff from './staff/disable-staff.js';
import listStaff from './staff/list-staff.js';
import ping from './system/ping.js';
import addTabLine from './till/add-tab-line.js';
import closeTab from './till/close-tab.js';
import getTab from './till/get-tab.js';
import listOpenTabs from './till/list-open-tabs.js';
import openTab from './till/open-tab.js';
import recordSale from './sales/record-sale.js';
import voidTabLine from './till/void-tab-line.js';
import type { Handler } from './types.js';

/** Every handler, keyed by its action; a test checks it covers the whole contract. */
export const handlers: ReadonlyMap<ActionName, Handler<ActionName>> = new Map(
  (
    [
      ping,
      register,
      beginLogin,
      finishLogin,
      me,
      getPasswordHash,
      setPassword,
      createProduct,
      updateProduct,
      listProducts,
      getProduct,
      openTab,
      addTabLine,
      voidTabLine,
      closeTab,
      recordSale,
      listOpenTabs,
      getTab,
      listSales,
      getSale,
      refundSale,
      createStaff,
      disableStaff,
      listStaff,
      listAuditEntries,
    ] as unknown as Handler<ActionName>[]
  ).map((h) => [h.action, h]),
);
