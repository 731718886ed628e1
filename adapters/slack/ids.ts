/**
 * Every action, callback and block id the Slack adapter uses, in one place. The decision ones and
 * `reject_reason` are part of the bot's documented interface; the others are ours to change.
 */
export const ACTION = {
  consentApprove: 'consent_approve',
  consentReject: 'consent_reject',
  complianceApprove: 'compliance_approve',
  complianceReject: 'compliance_reject',
  submit: 'transfer_submit',
  cancel: 'transfer_cancel',
  retry: 'transfer_retry',
  download: 'transfer_download',
  view: 'transfer_view',
  listPage: 'list_page',
  homePage: 'home_page',
  homeSwitch: 'home_switch_sa',
  homeRequest: 'home_request_transfer',
  homeView: 'home_view',
  homeConsent: 'home_consent',
  homeDownload: 'home_download',
  openWizard: 'wizard_open',
  /** The offer of a request in progress: the button's value is the draft's id. */
  draftContinue: 'draft_continue',
  draftStartOver: 'draft_start_over',
  wizardSource: 'wizard_source_sa',
  wizardDestination: 'wizard_destination_sa',
  wizardShowCounts: 'wizard_show_counts',
  wizardSameCompany: 'wizard_same_company',
  wizardTransferee: 'wizard_transferee',
  wizardTransferor: 'wizard_transferor',
  wizardJustification: 'wizard_justification',
  wizardLegalName: 'wizard_legal_name',
  wizardAddress: 'wizard_address',
  wizardTerms: 'wizard_terms',
  wizardTabLicenses: 'wizard_tab_licenses',
  wizardTabDevices: 'wizard_tab_devices',
  wizardLicenses: 'wizard_licenses',
  wizardDevices: 'wizard_devices',
  wizardSearch: 'wizard_asset_search',
  wizardWhole: 'wizard_whole',
  wizardSelectAll: 'wizard_select_all',
  /** Review: go back to the modal named by the button's value (`accounts`, `form`, `assets`). */
  wizardChange: 'wizard_change',
  reason: 'reason',
} as const;

export const CALLBACK = {
  rejectReason: 'reject_reason',
  wizardAccounts: 'transfer_wizard_accounts',
  wizardForm: 'transfer_wizard_form',
  wizardAssets: 'transfer_wizard_assets',
  wizardReview: 'transfer_wizard_review',
  wizardResult: 'transfer_wizard_result',
  transferView: 'transfer_view',
  notice: 'transfer_notice',
  requestShortcut: 'request_transfer',
} as const;

export const BLOCK = {
  reason: 'reason',
  source: 'source',
  destination: 'destination',
  sameCompany: 'same_company',
  transferee: 'transferee',
  transferor: 'transferor',
  /** The transferor select drawn anew, letting go of what was picked in it (see `transferorBlock`). */
  transferorAgain: 'transferor_again',
  justification: 'justification',
  legalName: 'legal_name',
  address: 'address',
  terms: 'terms',
  licenses: 'assets_licenses',
  devices: 'assets_devices',
  search: 'asset_search',
  whole: 'assets_whole',
  /** Buttons under a transfer shown as a reply or in a modal. */
  transfer: 'transfer',
  /** Prefix of the buttons block of a decision card: `card:consent:transferee`, `card:compliance`. */
  cardPrefix: 'card:',
} as const;
