"""The demo's mail backend: each mail printed as its reader would read it (recipient,
subject, the plain text), not as MIME with an encoded HTML part. The demo's mailbox page
(/account/messages/) shows the HTML."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.core.mail.backends.console import EmailBackend


class ReadableConsoleBackend(EmailBackend):
    def write_message(self, message: EmailMessage) -> None:
        lines = [
            f"To: {', '.join(message.to)}",
            f"Subject: {message.subject}",
            "",
            str(message.body).rstrip(),
        ]
        if isinstance(message, EmailMultiAlternatives) and message.alternatives:
            lines += ["", "(with an HTML part)"]
        self.stream.write("\n".join(lines) + "\n" + "-" * 79 + "\n")

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        return int(super().send_messages(email_messages) or 0)
