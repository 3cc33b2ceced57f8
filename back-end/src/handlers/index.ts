import type { ActionName } from '@barback/messaging';
import listAuditEntries from './audit/list-audit-entries.js';
import beginLogin from './auth/begin-login.js';
import finishLogin from './auth/finish-login.js';
import getPasswordHash from './auth/get-password-hash.js';
import me from './auth/me.js';
import register from './auth/register.js';
import setPassword from './auth/set-password.js';
import beginPinLogin from './auth/begin-pin-login.js';
import finishPinLogin from './auth/finish-pin-login.js';
import listTillStaff from './auth/list-till-staff.js';
import setPin from './auth/set-pin.js';
import logout from './auth/logout.js';
import signOutEverywhere from './auth/sign-out-everywhere.js';
import enrolTill from './staff/enrol-till.js';
import listTills from './staff/list-tills.js';
import revokeTill from './staff/revoke-till.js';
import setStaffPin from './staff/set-staff-pin.js';
import archiveProduct from './catalogue/archive-product.js';
import createProduct from './catalogue/create-product.js';
import getProduct from './catalogue/get-product.js';
import listProducts from './catalogue/list-products.js';
import listVatRates from './catalogue/list-vat-rates.js';
import restoreProduct from './catalogue/restore-product.js';
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
import splitTab from './till/split-tab.js';
import recordSale from './sales/record-sale.js';
import voidTabLine from './till/void-tab-line.js';
import getSettings from './venue/get-settings.js';
import updateSettings from './venue/update-settings.js';
import listEvents from './events/list-events.js';
import getDashboard from './dashboard/get-dashboard.js';
import createSupplier from './suppliers/create-supplier.js';
import listSuppliers from './suppliers/list-suppliers.js';
import recordDelivery from './deliveries/record-delivery.js';
import listDeliveries from './deliveries/list-deliveries.js';
import getDelivery from './deliveries/get-delivery.js';
import importInvoice from './deliveries/import-invoice.js';
import getInvoiceDraft from './deliveries/get-invoice-draft.js';
import confirmInvoice from './deliveries/confirm-invoice.js';
import mapSupplierItem from './suppliers/map-supplier-item.js';
import recordWastage from './wastage/record-wastage.js';
import listWastage from './wastage/list-wastage.js';
import startStocktake from './stocktakes/start-stocktake.js';
import recordCount from './stocktakes/record-count.js';
import getStocktake from './stocktakes/get-stocktake.js';
import closeStocktake from './stocktakes/close-stocktake.js';
import getVarianceReport from './stocktakes/get-variance-report.js';
import listStocktakes from './stocktakes/list-stocktakes.js';
import getReorderList from './stock/get-reorder-list.js';
import listStockMoves from './stock/list-stock-moves.js';
import getVatReturn from './vat/get-vat-return.js';
import getVatWorkings from './vat/get-vat-workings.js';
import getTradingDetails from './vat/get-trading-details.js';
import startShift from './shifts/start-shift.js';
import recordCashMovement from './shifts/record-cash-movement.js';
import getXReport from './shifts/get-x-report.js';
import closeShift from './shifts/close-shift.js';
import listZReports from './shifts/list-z-reports.js';
import getZReport from './shifts/get-z-report.js';
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
      listTillStaff,
      beginPinLogin,
      finishPinLogin,
      setPin,
      logout,
      signOutEverywhere,
      enrolTill,
      listTills,
      revokeTill,
      setStaffPin,
      createProduct,
      updateProduct,
      listProducts,
      getProduct,
      archiveProduct,
      restoreProduct,
      listVatRates,
      openTab,
      addTabLine,
      voidTabLine,
      splitTab,
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
      getSettings,
      updateSettings,
      listEvents,
      getDashboard,
      createSupplier,
      listSuppliers,
      recordDelivery,
      listDeliveries,
      getDelivery,
      importInvoice,
      getInvoiceDraft,
      confirmInvoice,
      mapSupplierItem,
      recordWastage,
      listWastage,
      startStocktake,
      recordCount,
      getStocktake,
      closeStocktake,
      getVarianceReport,
      listStocktakes,
      getReorderList,
      listStockMoves,
      getVatReturn,
      getVatWorkings,
      getTradingDetails,
      startShift,
      recordCashMovement,
      getXReport,
      closeShift,
      listZReports,
      getZReport,
    ] as unknown as Handler<ActionName>[]
  ).map((h) => [h.action, h]),
);
