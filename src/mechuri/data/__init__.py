"""Instruction-dataset tools: seed tasks, Self-Instruct, grounded synthesis, imports, filters, build.

Modules are imported where used (not here) because some need the optional ``data`` extra
(rouge-score, datasets, matplotlib, tqdm) and Kiwi, which take seconds to load.
"""
