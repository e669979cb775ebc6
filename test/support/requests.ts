/**
 * SIP2 requests as the demo library's kiosks send them: institution MAIN, the
 * moment of sending as transaction date, PIN 1234 unless a test says otherwise.
 * Each builder returns the typed model; `Kiosk.send` encodes it.
 */
import type {
  BlockPatronRequest,
  CheckinRequest,
  CheckoutRequest,
  EndPatronSessionRequest,
  FeePaidRequest,
  HoldRequest,
  ItemInformationRequest,
  ItemStatusUpdateRequest,
  LoginRequest,
  PatronEnableRequest,
  PatronInformationRequest,
  PatronStatusRequest,
  RenewAllRequest,
  RenewRequest,
  ScStatusRequest,
  Summary,
} from "@circulate/sip2";

/** Every demo patron's PIN. */
export const PIN = "1234";
const AO = "MAIN";

export const login = (user: string, password: string, location?: string): LoginRequest => ({
  code: "93",
  uidAlgorithm: "0",
  pwdAlgorithm: "0",
  loginUserId: user,
  loginPassword: password,
  ...(location === undefined ? {} : { locationCode: location }),
});

export const scStatus = (): ScStatusRequest => ({ code: "99", statusCode: "0", maxPrintWidth: 40, protocolVersion: "2.00" });

export const checkout = (patron: string, item: string, extra: Partial<CheckoutRequest> = {}): CheckoutRequest => ({
  code: "11",
  scRenewalPolicy: true,
  noBlock: false,
  transactionDate: new Date(),
  nbDueDate: null,
  institutionId: AO,
  patronIdentifier: patron,
  itemIdentifier: item,
  terminalPassword: "",
  patronPassword: PIN,
  ...extra,
});

export const checkin = (item: string, extra: Partial<CheckinRequest> = {}): CheckinRequest => ({
  code: "09",
  noBlock: false,
  transactionDate: new Date(),
  returnDate: new Date(),
  currentLocation: "",
  institutionId: AO,
  itemIdentifier: item,
  terminalPassword: "",
  ...extra,
});

export const renew = (patron: string, item: string, extra: Partial<RenewRequest> = {}): RenewRequest => ({
  code: "29",
  thirdPartyAllowed: false,
  noBlock: false,
  transactionDate: new Date(),
  nbDueDate: null,
  institutionId: AO,
  patronIdentifier: patron,
  patronPassword: PIN,
  itemIdentifier: item,
  ...extra,
});

export const renewAll = (patron: string): RenewAllRequest => ({
  code: "65",
  transactionDate: new Date(),
  institutionId: AO,
  patronIdentifier: patron,
  patronPassword: PIN,
});

export const itemInformation = (item: string): ItemInformationRequest => ({
  code: "17",
  transactionDate: new Date(),
  institutionId: AO,
  itemIdentifier: item,
});

export const itemStatusUpdate = (item: string, itemProperties: string): ItemStatusUpdateRequest => ({
  code: "19",
  transactionDate: new Date(),
  institutionId: AO,
  itemIdentifier: item,
  itemProperties,
});

export const patronStatus = (patron: string, pin = PIN): PatronStatusRequest => ({
  code: "23",
  language: "001",
  transactionDate: new Date(),
  institutionId: AO,
  patronIdentifier: patron,
  terminalPassword: "",
  patronPassword: pin,
});

const NO_SUMMARY: Summary = {
  holdItems: false,
  overdueItems: false,
  chargedItems: false,
  fineItems: false,
  recallItems: false,
  unavailableHolds: false,
  extendedFees: false,
};

export const patronInformation = (
  patron: string,
  list?: keyof Summary,
  range: { start?: number; end?: number } = {},
): PatronInformationRequest => ({
  code: "63",
  language: "001",
  transactionDate: new Date(),
  summary: list === undefined ? NO_SUMMARY : { ...NO_SUMMARY, [list]: true },
  institutionId: AO,
  patronIdentifier: patron,
  patronPassword: PIN,
  ...(range.start === undefined ? {} : { startItem: String(range.start) }),
  ...(range.end === undefined ? {} : { endItem: String(range.end) }),
});

export const feePaid = (patron: string, amount: string, extra: Partial<FeePaidRequest> = {}): FeePaidRequest => ({
  code: "37",
  transactionDate: new Date(),
  feeType: "01",
  paymentType: "00",
  currencyType: "USD",
  feeAmount: amount,
  institutionId: AO,
  patronIdentifier: patron,
  patronPassword: PIN,
  ...extra,
});

export const hold = (mode: "+" | "-" | "*", patron: string, item: string, extra: Partial<HoldRequest> = {}): HoldRequest => ({
  code: "15",
  holdMode: mode,
  transactionDate: new Date(),
  institutionId: AO,
  patronIdentifier: patron,
  patronPassword: PIN,
  itemIdentifier: item,
  ...extra,
});

export const blockPatron = (patron: string, message: string): BlockPatronRequest => ({
  code: "01",
  cardRetained: false,
  transactionDate: new Date(),
  institutionId: AO,
  blockedCardMessage: message,
  patronIdentifier: patron,
  terminalPassword: "",
});

export const patronEnable = (patron: string): PatronEnableRequest => ({
  code: "25",
  transactionDate: new Date(),
  institutionId: AO,
  patronIdentifier: patron,
  patronPassword: PIN,
});

export const endSession = (patron: string): EndPatronSessionRequest => ({
  code: "35",
  transactionDate: new Date(),
  institutionId: AO,
  patronIdentifier: patron,
  patronPassword: PIN,
});
