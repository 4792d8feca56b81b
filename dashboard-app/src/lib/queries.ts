// The plugin API's documents the pages use (schema: saleor_segments/graphql).
export const SEGMENT_FIELDS = `id name description status applyTo conditions definitionVersion memberCount
  lastRefreshedAt lastRefreshMode lastFullRefreshAt createdAt updatedAt channel { id slug name }
  lastRefresh { id status parts partsDone joined left error requestedAt finishedAt }`;

export type Channel = { id: string; slug: string | null; name: string | null };
export type RefreshRun = { id: string; status: string; parts: number; partsDone: number; joined: number | null; left: number | null; error: string | null; requestedAt: string; finishedAt: string | null };
export type Segment = {
  id: string; name: string; description: string; status: "ACTIVE" | "INACTIVE"; applyTo: string; conditions: string;
  definitionVersion: number; memberCount: number; lastRefreshedAt: string | null;
  lastRefreshMode: string | null; lastFullRefreshAt: string | null; createdAt: string; updatedAt: string;
  channel: Channel; lastRefresh: RefreshRun | null;
};
export type ApiErrors = { field: string | null; code: string; message: string | null }[];
export type Connection<T> = { totalCount: number | null; pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null }; edges: { node: T; cursor: string }[] };

export const SEGMENTS = `query Segments($filter: SegmentFilterInput, $sortBy: SegmentSortingInput, $first: Int, $after: String) {
  segments(filter: $filter, sortBy: $sortBy, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage hasPreviousPage endCursor }
    edges { cursor node { ${SEGMENT_FIELDS} } } } }`;

export const SEGMENT = `query Segment($id: ID!) { segment(id: $id) { ${SEGMENT_FIELDS} } }`;

export const SEGMENT_CREATE = `mutation SegmentCreate($input: SegmentCreateInput!) {
  segmentCreate(input: $input) { errors { field code message } segment { ${SEGMENT_FIELDS} } } }`;
export const SEGMENT_UPDATE = `mutation SegmentUpdate($id: ID!, $input: SegmentInput!) {
  segmentUpdate(id: $id, input: $input) { errors { field code message } segment { ${SEGMENT_FIELDS} } } }`;
export const SEGMENT_BULK_DELETE = `mutation SegmentBulkDelete($ids: [ID!]!) { segmentBulkDelete(ids: $ids) { errors { field code message } count } }`;
export const SEGMENT_REFRESH = `mutation SegmentRefresh($id: ID!) { segmentRefresh(id: $id) {
  errors { field code message } refresh { id status parts partsDone joined left error requestedAt finishedAt } } }`;
export const REFRESH_RUN = `query RefreshRun($id: ID!) { segmentRefreshRun(id: $id) { id status parts partsDone joined left error requestedAt finishedAt } }`;

export const PREVIEW = `query Preview($conditions: JSONString!, $channel: ID!, $applyTo: SegmentApplyToEnum) {
  segmentPreview(conditions: $conditions, channel: $channel, applyTo: $applyTo, sampleSize: 10, timeBudgetMs: 2000) {
    size customers visitors budgetExceeded milliseconds sample { customerId email firstName lastName }
    cost { estimatedCost estimatedRows budgetExceeded expensive { path kind reason hint estimatedCost } }
    errors { field code message } } }`;
/** The planner's estimate of a definition (EXPLAIN only) and the conditions that make it slow. */
export type Cost = { estimatedCost: number; estimatedRows: number; budgetExceeded: boolean;
  expensive: { path: string; kind: string; reason: string; hint: string; estimatedCost: number }[] };
export type Preview = { size: number | null; customers: number | null; visitors: number | null; budgetExceeded: boolean; milliseconds: number;
  sample: { customerId: string; email: string | null; firstName: string | null; lastName: string | null }[]; cost: Cost | null; errors: ApiErrors };

// The segment query language (the builder's Text tab): text -> tree, tree -> text.
export type ConditionsText = { conditions: string | null; text: string | null;
  errors: { field: string | null; code: string; message: string | null; line: number | null; column: number | null }[] };
const CONDITIONS_TEXT_FIELDS = "conditions text errors { field code message line column }";
export const CONDITIONS_PARSE = `query ConditionsParse($text: String!, $applyTo: SegmentApplyToEnum) {
  segmentConditionsParse(text: $text, applyTo: $applyTo) { ${CONDITIONS_TEXT_FIELDS} } }`;
export const CONDITIONS_PRINT = `query ConditionsPrint($conditions: JSONString!, $applyTo: SegmentApplyToEnum) {
  segmentConditionsText(conditions: $conditions, applyTo: $applyTo) { ${CONDITIONS_TEXT_FIELDS} } }`;

export type Member = { customerId: string; firstName: string | null; lastName: string | null; email: string | null; customerType: string | null;
  phone: string | null; postalCode: string | null; country: string | null; countryArea: string | null; customerSince: string | null; joinedAt: string };
export const MEMBERS = `query Members($segment: ID!, $filter: SegmentMemberFilterInput, $sortBy: SegmentMemberSortingInput, $first: Int, $after: String) {
  segmentMembers(segment: $segment, filter: $filter, sortBy: $sortBy, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage hasPreviousPage endCursor }
    edges { cursor node { customerId firstName lastName email customerType phone postalCode country countryArea customerSince joinedAt } } } }`;

export type MembershipEvent = { id: string; segmentId: string; customerId: string | null; checkoutToken: string | null; action: "JOINED" | "LEFT"; at: string; reason: string; definitionVersion: number; segment: { id: string; name: string } | null };
export const HISTORY = `query History($segment: ID, $customer: ID, $first: Int, $after: String) {
  segmentMembershipHistory(segment: $segment, customer: $customer, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage hasPreviousPage endCursor }
    edges { cursor node { id segmentId customerId checkoutToken action at reason definitionVersion segment { id name } } } } }`;

export type Explanation = { matches: boolean; isMember: boolean; customerId: string; nodes: { path: string; kind: string; met: boolean; value: string | null; inside: string | null }[] };
export const EXPLAIN = `query Explain($segment: ID!, $customer: ID!) { segmentExplain(segment: $segment, customer: $customer) {
  matches isMember customerId nodes { path kind met value inside } } }`;


// Reports and exports (saleor_segments/graphql/reports).
export type ExportStatus = "PENDING" | "SUCCESS" | "FAILED" | "EXPIRED";
export type ExportFormat = "CSV" | "XLSX";
export type ExportFile = { id: string; fileFormat: ExportFormat; status: ExportStatus; progress: number; rowsWritten: number;
  rowsTotal: number | null; message: string | null; url: string | null; expiresAt: string };
const EXPORT_FILE_FIELDS = "id fileFormat status progress rowsWritten rowsTotal message url expiresAt";
export const EXPORT_FILE = `query ExportFile($id: ID!) { segmentExportFile(id: $id) { ${EXPORT_FILE_FIELDS} } }`;
export const MEMBERS_EXPORT = `mutation MembersExport($segment: ID!, $fileFormat: SegmentExportFormatEnum!, $filter: SegmentMemberFilterInput, $sortBy: SegmentMemberSortingInput) {
  segmentMembersExport(segment: $segment, fileFormat: $fileFormat, filter: $filter, sortBy: $sortBy) {
    errors { field code message } exportFile { ${EXPORT_FILE_FIELDS} } } }`;
export const REPORT_EXPORT = `mutation ReportExport($report: SegmentReportInput!, $fileFormat: SegmentExportFormatEnum!, $filter: SegmentMemberFilterInput, $sortBy: SegmentMemberSortingInput) {
  segmentReportExport(report: $report, fileFormat: $fileFormat, filter: $filter, sortBy: $sortBy) {
    errors { field code message } exportFile { ${EXPORT_FILE_FIELDS} } } }`;

export type ReportInput = { segments: string[]; mode: "ANY" | "ALL"; exclude: string[] };
export const REPORT = `query Report($report: SegmentReportInput!, $filter: SegmentMemberFilterInput, $sortBy: SegmentMemberSortingInput, $first: Int, $after: String) {
  segmentReport(report: $report) { count
    members(filter: $filter, sortBy: $sortBy, first: $first, after: $after) {
      totalCount pageInfo { hasNextPage hasPreviousPage endCursor }
      edges { cursor node { customerId firstName lastName email customerType phone postalCode country countryArea customerSince joinedAt } } } } }`;

export type SizePoint = { start: string; end: string; members: number; joined: number; left: number };
export const SIZE_HISTORY = `query SizeHistory($segment: ID!, $period: SegmentDateRangeInput!, $interval: SegmentHistoryIntervalEnum) {
  segmentSizeHistory(segment: $segment, period: $period, interval: $interval) { start end members joined left } }`;

export type OverlapCell = { segmentId: string; otherSegmentId: string; shared: number; percent: number; otherPercent: number };
export const OVERLAP = `query Overlap($segments: [ID!]!) { segmentOverlap(segments: $segments) { segmentId otherSegmentId shared percent otherPercent } }`;

export type AdminEvent = { id: string; objectType: string; objectId: string; objectName: string; action: string; before: string | null;
  after: string | null; actorKind: "STAFF" | "APP" | "TOKEN" | null; userId: string | null; appId: string | null; actorName: string | null; at: string };
export const ADMIN_EVENTS = `query AdminEvents($objectType: SegmentAdminObjectEnum, $objectId: ID, $action: SegmentAdminActionEnum, $first: Int, $after: String) {
  segmentAdminEvents(objectType: $objectType, objectId: $objectId, action: $action, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage hasPreviousPage endCursor }
    edges { cursor node { id objectType objectId objectName action before after actorKind userId appId actorName at } } } }`;

// Membership events (saleor_segments/graphql/webhooks): subscriptions of a URL or a Saleor App
// to joins and leaves of segments, and their deliveries.
export type MembershipEventKind = "JOINED" | "LEFT";
export type DeliveryStatus = "PENDING" | "SUCCESS" | "FAILED";
export type Subscription = { id: string; name: string; targetUrl: string; appId: string | null; events: MembershipEventKind[];
  segments: { id: string; name: string }[]; isActive: boolean; hasSecret: boolean; createdAt: string; updatedAt: string;
  failed: { totalCount: number | null } };
export type Delivery = { id: string; status: DeliveryStatus; attempts: number; responseCode: number | null; lastError: string | null;
  changeIds: number[]; createdAt: string; nextAttemptAt: string | null; lastAttemptAt: string | null; deliveredAt: string | null };
const SUBSCRIPTION_FIELDS = `id name targetUrl appId events segments { id name } isActive hasSecret createdAt updatedAt
  failed: deliveries(status: FAILED, first: 1) { totalCount }`;
const DELIVERY_FIELDS = "id status attempts responseCode lastError changeIds createdAt nextAttemptAt lastAttemptAt deliveredAt";
export const SUBSCRIPTIONS = `query Subscriptions($first: Int, $after: String) {
  segmentSubscriptions(first: $first, after: $after) {
    totalCount pageInfo { hasNextPage hasPreviousPage endCursor }
    edges { cursor node { ${SUBSCRIPTION_FIELDS} } } } }`;
export const SUBSCRIPTION_CREATE = `mutation SubscriptionCreate($input: SegmentSubscriptionCreateInput!) {
  segmentSubscriptionCreate(input: $input) { errors { field code message } secret segmentSubscription { ${SUBSCRIPTION_FIELDS} } } }`;
export const SUBSCRIPTION_UPDATE = `mutation SubscriptionUpdate($id: ID!, $input: SegmentSubscriptionUpdateInput!) {
  segmentSubscriptionUpdate(id: $id, input: $input) { errors { field code message } secret segmentSubscription { ${SUBSCRIPTION_FIELDS} } } }`;
export const SUBSCRIPTION_DELETE = `mutation SubscriptionDelete($id: ID!) {
  segmentSubscriptionDelete(id: $id) { errors { field code message } segmentSubscription { id } } }`;
export const DELIVERIES = `query Deliveries($subscription: ID!, $status: SegmentDeliveryStatusEnum, $first: Int, $after: String) {
  segmentMembershipDeliveries(subscription: $subscription, status: $status, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage hasPreviousPage endCursor }
    edges { cursor node { ${DELIVERY_FIELDS} } } } }`;
export const DELIVERY_RETRY = `mutation DeliveryRetry($id: ID!) {
  segmentMembershipDeliveryRetry(id: $id) { errors { field code message } delivery { ${DELIVERY_FIELDS} } } }`;
