"""placeholder while being written."""

import streamlit as st


def render() -> None:
    st.title("models")


if __name__ == "__main__":
    render()
