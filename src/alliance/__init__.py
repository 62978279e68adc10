"""alliance: clean, parse, index and search news pages about US-South Korea alliance meetings.

The pipeline is one module per stage (rawfile, clean, parse, store, index, search, meetings,
export, kwic, trend); `alliance.api` has every command as a plain function.
"""
