// Readable names for the generated bindings' types. tauri-specta emits two shapes of a Rust type
// whose JSON differs by direction: `Foo_Serialize`, what a command returns (every field present),
// and `Foo_Deserialize`, what a command accepts (fields with a default may be left out); `Foo` is
// the union of both, too loose to read from. The UI reads what it receives and builds what it sends,
// so it names them by that role: `Connector` is what the backend sends, `ConnectorDraft` what the UI
// sends. Import domain types from here, commands from ../bindings.
import type {
  AgentDraft_Deserialize,
  Agent_Serialize,
  AppStatus_Serialize,
  AttemptFilter_Deserialize,
  AttemptPage_Serialize,
  AuditEntry_Serialize,
  AuditFilter_Deserialize,
  AuditPage_Serialize,
  ConnectorDraft_Deserialize,
  ConnectorSettings_Deserialize,
  ConnectorSettings_Serialize,
  Connector_Serialize,
  DriftEntry_Serialize,
  DriftReason_Serialize,
  Event_Serialize,
  JobItem_Serialize,
  NumberList_Serialize,
  OrganizationDraft_Deserialize,
  Organization_Serialize,
  PhoneNumber_Serialize,
  RecipientDraft_Deserialize,
  Recipient_Serialize,
  LogEntry_Serialize,
  LogFilter_Deserialize,
  LogPage_Serialize,
  SavedFile_Serialize,
  MessageAttempt_Serialize,
  MessagingStats_Serialize,
  SandboxDemo_Serialize,
  SendRequest_Deserialize,
  Template_Serialize,
  SenderDraft_Deserialize,
  SenderUpdateDraft_Deserialize,
  SenderView_Serialize,
  WebhookJob_Serialize,
  WebhookOverride_Serialize,
  WebhookPlanItem_Serialize,
  WebhookUrl_Serialize,
} from "../bindings";

// What commands return.
export type Agent = Agent_Serialize;
export type AppStatus = AppStatus_Serialize;
export type AttemptPage = AttemptPage_Serialize;
export type AuditEntry = AuditEntry_Serialize;
export type AuditFilter = AuditFilter_Deserialize;
export type AuditPage = AuditPage_Serialize;
export type Connector = Connector_Serialize;
export type ConnectorSettings = ConnectorSettings_Serialize;
/** A connector's event log entry (not the DOM's `Event`). */
export type ConnectorEvent = Event_Serialize;
export type DriftEntry = DriftEntry_Serialize;
export type DriftReason = DriftReason_Serialize;
export type JobItem = JobItem_Serialize;
export type NumberList = NumberList_Serialize;
export type Organization = Organization_Serialize;
export type PhoneNumber = PhoneNumber_Serialize;
export type Recipient = Recipient_Serialize;
export type SandboxDemo = SandboxDemo_Serialize;
export type LogEntry = LogEntry_Serialize;
export type LogPage = LogPage_Serialize;
export type SavedFile = SavedFile_Serialize;
export type MessageAttempt = MessageAttempt_Serialize;
export type MessagingStats = MessagingStats_Serialize;
export type Template = Template_Serialize;
export type SenderView = SenderView_Serialize;
export type WebhookJob = WebhookJob_Serialize;
export type WebhookOverride = WebhookOverride_Serialize;
export type WebhookPlanItem = WebhookPlanItem_Serialize;
export type WebhookUrl = WebhookUrl_Serialize;

// What commands accept.
export type AgentDraft = AgentDraft_Deserialize;
export type AttemptFilter = AttemptFilter_Deserialize;
export type ConnectorDraft = ConnectorDraft_Deserialize;
export type ConnectorSettingsDraft = ConnectorSettings_Deserialize;
export type OrganizationDraft = OrganizationDraft_Deserialize;
export type RecipientDraft = RecipientDraft_Deserialize;
export type SenderDraft = SenderDraft_Deserialize;
export type SendRequest = SendRequest_Deserialize;
export type LogFilter = LogFilter_Deserialize;
export type SenderUpdateDraft = SenderUpdateDraft_Deserialize;

// Types with one shape both ways keep their generated names.
export type {
  AgentChannel,
  BoundAgent,
  CommandError,
  ConnectorKind,
  ConnectorState,
  ErrorCode,
  EventLevel,
  FieldError,
  JobOutcome,
  JobState,
  MessageKind,
  Outcome,
  SyncReport,
  NumberKind,
  ProviderKind,
  RemovedSender,
  SmtpSecurity,
  WebhookState,
} from "../bindings";
