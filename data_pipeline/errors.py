"""The pipeline's exceptions: one branch of govchain's tree, each message saying what to do next.

Row-level problems never raise: they are quarantined with a reason code (see quarantine.py). These errors
are for problems that make a whole run meaningless, so the operator must fix the delivery first.
"""

from __future__ import annotations

from govchain.errors import GovchainError


class PipelineError(GovchainError):
    """Base class of every error raised by the data pipeline."""


class SourceFileMissingError(PipelineError):
    """Raised when a source folder lacks one of the ten source files."""

    def __init__(self, folder: object, source: str, expected: list[str]):
        super().__init__(
            f"Source '{source}' is missing from {folder}: expected one of {', '.join(expected)}. Ask the "
            f"department for its extract, or check that --sources points at the folder that holds the files."
        )
        self.source = source


class MissingColumnError(PipelineError):
    """Raised when a source file lacks a column its schema requires (often a renamed column)."""

    def __init__(self, file: object, column: str, found: list[str]):
        unexpected = ", ".join(found) if found else "none"
        super().__init__(
            f"{file}: required column '{column}' is missing (unexpected columns present: {unexpected}). "
            f"If the department renamed it, rename it back to '{column}' in the extract; the schemas are "
            f"in data_pipeline/schemas.py."
        )
        self.file = str(file)
        self.column = column


class UndecodableFileError(PipelineError):
    """Raised when a source file is not valid text in its detected or declared encoding."""

    def __init__(self, file: object, encoding: str, offset: int, reason: str):
        super().__init__(
            f"{file}: cannot be decoded as {encoding} at byte offset {offset} ({reason}). Re-export the file "
            f"as UTF-8 or {encoding}, or declare its encoding; do not hand-edit bytes."
        )
        self.file = str(file)
        self.encoding = encoding
        self.offset = offset


class UnreadableFileError(PipelineError):
    """Raised when a source file decodes but is not a well-formed CSV or Parquet file."""

    def __init__(self, file: object, cause: object):
        super().__init__(f"{file}: cannot be parsed ({cause}). Re-export it as CSV with a header row, or Parquet.")
        self.file = str(file)


class DuplicateSourceFileError(PipelineError):
    """Raised when a source folder holds more than one file for one source (tax.csv beside tax.parquet)."""

    def __init__(self, folder: object, source: str, files: list[str]):
        super().__init__(
            f"Source '{source}' is delivered twice in {folder}: {', '.join(files)}. Keep the one extract the "
            f"department sent for this run and move the other away; the pipeline will not guess which is current."
        )
        self.source = source
        self.files = files


class WrongFormatError(PipelineError):
    """Raised when a source file's bytes are not the format its name says (Parquet bytes in a .csv)."""

    def __init__(self, file: object, named: str, found: str):
        super().__init__(
            f"{file}: named as {named} but its bytes are {found}. Rename or re-export the file so that its "
            f"name matches its content (.csv for text, .parquet for Parquet)."
        )
        self.file = str(file)
        self.found = found


class QualityGateError(PipelineError):
    """Raised when a data-quality gate fails (gates.py) and the operator asked runs to stop on failure."""

    def __init__(self, failures: list[dict]):
        lines = "\n".join(f"  - {f['gate']}: {f['message']}" for f in failures)
        super().__init__(
            f"{len(failures)} data-quality gate(s) failed; no results were written:\n{lines}\n"
            f"Ask the department for a complete extract and run again, or run with --on-gate-failure mark "
            f"to produce results marked not for publication (the oracle will not commit them)."
        )
        self.failures = failures


class PreviousRunError(PipelineError):
    """Raised when --previous names a folder without a readable ledger of an earlier run."""

    def __init__(self, ledger: object, cause: object):
        super().__init__(
            f"--previous: cannot read the earlier run's ledger {ledger} ({cause}). Point --previous at the output "
            f"folder (--out) of the previous run of the same county, or leave it out."
        )


class PolicyError(PipelineError):
    """Raised when the policy file is missing, malformed, or asks for something the data cannot give."""

    def __init__(self, path: object, problem: str):
        super().__init__(f"Policy file {path}: {problem}. Fix the file; its hash is recorded with every result.")
        self.path = str(path)


class NoSourcesError(PipelineError):
    """Raised when --sources points at a folder with neither source files nor county partitions."""

    def __init__(self, folder: object):
        super().__init__(
            f"{folder} holds no source files and no county partition folders (named by 6-digit county code). "
            f"Generate a county with `python -m data_pipeline.synth --people 10000 --seed 1 --out DIR`."
        )


class CrossCountyDuplicateError(PipelineError):
    """Raised when the same household head is registered in two county partitions of one run."""

    def __init__(self, count: int, counties: list[str], listing: object):
        super().__init__(
            f"{count} household head(s) are registered in more than one county ({', '.join(counties)}); "
            f"their ID numbers are listed in {listing}. A person has one hukou: ask the public security "
            f"bureau (户政) to resolve each double registration, then run again."
        )
        self.count = count
