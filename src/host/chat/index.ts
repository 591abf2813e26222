export { registerChatParticipant, TierwiseParticipant } from './participant';
export { CHAT_VENDOR, TierwiseChatProvider } from './provider';
export { type ChatStats, ChatTurns } from './turns';
export type { ChatPorts } from './ports';
