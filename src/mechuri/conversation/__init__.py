"""Conversation: the dialogue manager, the Turn it produces, and the writers that phrase it."""

from mechuri.conversation.manager import MAX_MESSAGE_CHARS, DialogueManager, MessageRefused, validate_message
from mechuri.conversation.turn import Turn
from mechuri.conversation.writer import GroundedWriter

__all__ = ["MAX_MESSAGE_CHARS", "DialogueManager", "GroundedWriter", "MessageRefused", "Turn", "validate_message"]
