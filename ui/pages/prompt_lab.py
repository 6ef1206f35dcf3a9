"""placeholder while being written."""

import streamlit as st


def render() -> None:
    st.title("prompt_lab")


if __name__ == "__main__":
    render()
