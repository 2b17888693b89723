"""Text messages: the gateway Protocol, the sandbox for the demo and SMS.ru for production."""
