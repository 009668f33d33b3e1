import { checkAccount, Query } from './query.js';
import type { RestRequest } from './routes.js';

/** GET /restapi/v1.0/account/{accountId} (Light). */
export function readAccount({ ctx, params, origin, accountId }: RestRequest): unknown {
  new Query(params, []);
  checkAccount(ctx, accountId);
  const { dataset } = ctx;
  const operator = dataset.extensions[0];
  const account = `${origin}/restapi/v1.0/account/${dataset.accountId}`;
  const us = { id: '1', uri: `${origin}/restapi/v1.0/dictionary/country/1`, name: 'United States', isoCode: 'US', callingCode: '1' };
  return {
    uri: account,
    id: dataset.accountId,
    bsid: String(dataset.accountId).slice(-8),
    mainNumber: dataset.mainNumber,
    operator: operator
      ? { uri: `${account}/extension/${operator.id}`, id: operator.id, extensionNumber: operator.extensionNumber }
      : undefined,
    serviceInfo: {
      uri: `${account}/service-info`,
      brand: { id: '1210', name: 'RingCentral', homeCountry: us },
      servicePlan: { id: '18497', name: 'RingEX Advanced', edition: 'Standard' },
      billingPlan: {
        id: '43614',
        name: 'Monthly-109.98-Standard 4 Lines',
        durationUnit: 'Month',
        duration: 1,
        type: 'Regular',
        includedPhoneLines: 4,
      },
      contractedCountry: us,
    },
    status: 'Confirmed',
    setupWizardState: 'Completed',
    regionalSettings: { ...regionalSettings(origin), currency: { id: 1, code: 'USD', name: 'Dollar', symbol: '$', minorSymbol: 'c' } },
    federated: false,
  };
}

export function regionalSettings(origin: string): Record<string, unknown> {
  return {
    homeCountry: { id: '1', uri: `${origin}/restapi/v1.0/dictionary/country/1`, name: 'United States', isoCode: 'US', callingCode: '1' },
    timezone: {
      id: '58',
      uri: `${origin}/restapi/v1.0/dictionary/timezone/58`,
      name: 'US/Pacific',
      description: 'Pacific Time (US & Canada)',
      bias: '-480',
    },
    language: { id: '1033', localeCode: 'en-US', name: 'English (United States)' },
    greetingLanguage: { id: '1033', localeCode: 'en-US', name: 'English (United States)' },
    formattingLocale: { id: '1033', localeCode: 'en-US', name: 'English (United States)' },
    timeFormat: '12h',
  };
}
