"""The clerk's operations. The GUI and the CLI both call these; nothing here imports Qt."""
