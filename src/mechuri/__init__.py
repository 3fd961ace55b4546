"""메추리 (mechuri): a Korean menu-recommendation chatbot that balances nutrition and taste."""

__version__ = "0.1.0"
