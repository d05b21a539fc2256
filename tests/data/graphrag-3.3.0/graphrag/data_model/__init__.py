# Copyright (c) 2024 Microsoft Corporation.
# Licensed under the MIT License

"""GraphRAG data model (vendored for tests: the package __init__ that imports DataReader is left out)."""
