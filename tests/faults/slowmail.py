"""A mail backend for the fault checks, at the edge where a real SMTP server would be: each message
takes `ZP_SLOWMAIL_SECONDS` to "send" and is then appended (one line: Message-ID and subject) to the
file `ZP_SLOWMAIL_FILE`, flushed to disk, so a test can kill the worker mid-batch and count what the
mail server received."""

import os
import time

from django.core.mail.backends.base import BaseEmailBackend


class SlowAppendBackend(BaseEmailBackend):
    def send_messages(self, messages):
        path = os.environ["ZP_SLOWMAIL_FILE"]
        delay = float(os.environ.get("ZP_SLOWMAIL_SECONDS", "0.2"))
        for message in messages:
            time.sleep(delay)  # the conversation with the server; a kill here loses nothing sent
            with open(path, "a") as f:
                f.write(f"{message.extra_headers.get('Message-ID', '')}\t{message.subject}\n")
                f.flush()
                os.fsync(f.fileno())
        return len(messages)
