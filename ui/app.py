"""`streamlit run ui/app.py`: nuri's chat. The page lives in `ui/page.py`; this file only starts it."""

from ui.page import main

main()
