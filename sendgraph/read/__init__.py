"""Reading: a file's bytes to text (PDF or plain), text to extraction records, with themes and services tagged."""
