import streamlit as st

from ui import state

st.title("2_pratiques")
st.write(state.selection().filters)
