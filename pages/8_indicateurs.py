import streamlit as st

from ui import state

st.title("8_indicateurs")
st.write(state.selection().filters)
