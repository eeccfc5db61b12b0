/** The hidden command the completion scripts call: `inc __complete WORD… CURRENT`, one candidate a line. */
export const COMPLETE_COMMAND = '__complete';
