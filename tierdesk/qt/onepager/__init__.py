"""One-page account plans: laid out and painted with Qt, written as PDF, previewed and printed."""
