"""The spreadsheet format of the roster: columns, vocabulary, error messages, reading, writing.

The headers and the choice values (男/女, 总站…, 是/否) are part of the file format and are
bilingual by design: an import accepts the Chinese and the English spelling (and the code)
whatever the language of the page, so a file filled in by a township in Chinese imports the
same for a colleague who reads the site in English. Templates and exports are written in the
language of the page. Everything else the user reads (instructions, error messages) goes
through gettext.

Modules: `vocab` (choice values, limits), `columns` (each sheet's columns), `messages` (row
errors), `reading`, `writing`.
"""

from lianluo.onboarding.sheets.columns import (
    AREA_COLUMNS,
    COLUMNS,
    DEPUTY_COLUMNS,
    SHEET_TITLES,
    STATION_COLUMNS,
    Column,
    column,
    column_header,
    sheet_title,
)
from lianluo.onboarding.sheets.messages import (
    MESSAGES,
    RowError,
    render_message,
)
from lianluo.onboarding.sheets.reading import (
    Sheet,
    SheetRow,
    UnreadableFile,
    cell_text,
    open_workbook,
    read_sheet,
)
from lianluo.onboarding.sheets.vocab import (
    MAX_READ_COLUMNS,
    MAX_READ_ROWS,
    MAX_ROWS,
    VOCAB,
    is_zh,
    vocab_code,
    vocab_label,
    vocab_labels,
)
from lianluo.onboarding.sheets.writing import (
    TEMPLATE_ROWS,
    Reference,
    SheetData,
    build_workbook,
)

__all__ = [
    "AREA_COLUMNS",
    "COLUMNS",
    "Column",
    "DEPUTY_COLUMNS",
    "MAX_READ_COLUMNS",
    "MAX_READ_ROWS",
    "MAX_ROWS",
    "MESSAGES",
    "Reference",
    "RowError",
    "SHEET_TITLES",
    "STATION_COLUMNS",
    "Sheet",
    "SheetData",
    "SheetRow",
    "TEMPLATE_ROWS",
    "UnreadableFile",
    "VOCAB",
    "build_workbook",
    "cell_text",
    "column",
    "column_header",
    "is_zh",
    "open_workbook",
    "read_sheet",
    "render_message",
    "sheet_title",
    "vocab_code",
    "vocab_label",
    "vocab_labels",
]
