"""What kamdocs needs from the operating system and its own package: atomic writes, file kinds,
packaged files, work in a forked process. Imports nothing of kamdocs."""
